package io.prefpipe.labeling.curate;

/** Why a valid judgement did not become part of a curated pair. Every filtered judgement has exactly one. */
public enum FilterReason {
    /** The same event id was seen before. */
    DUPLICATE("duplicate"),
    /** Its comparison's votes do not decide any pair it voted on. */
    TIE("tie"),
    /** It only compared responses whose texts are the same. */
    IDENTICAL_RESPONSES("identical_responses"),
    /** It names the same comparison as earlier judgements but with another prompt or other responses. */
    INCONSISTENT_COMPARISON("inconsistent_comparison"),
    /** It arrived after its comparison had already been decided and emitted. */
    LATE("late"),
    /**
     * The votes decide a pair it voted on, but less surely than the ambiguity threshold asks: the posterior of the
     * decided label is below it. Training on such pairs would mostly teach noise.
     */
    AMBIGUOUS("ambiguous");

    private final String code;

    FilterReason(String code) {
        this.code = code;
    }

    /** The stable code used in counts, metrics and reports. */
    public String code() {
        return code;
    }
}
