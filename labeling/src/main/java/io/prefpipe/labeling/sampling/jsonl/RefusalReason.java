package io.prefpipe.labeling.sampling.jsonl;

/** Why an input line was refused. Every refused line has exactly one. */
public enum RefusalReason {
    /** The line is not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** The line is not one JSON object (syntax error, duplicate key, trailing content, or not an object). */
    MALFORMED_JSON("malformed_json"),
    /** A required field is absent or null. */
    MISSING_FIELD("missing_field"),
    /** A field has the wrong JSON type (e.g. a reward given as a string). */
    WRONG_TYPE("wrong_type"),
    /** A reward is outside the range of a double (e.g. 1e400). */
    NON_FINITE_REWARD("non_finite_reward"),
    /** The candidates array is empty. */
    NO_CANDIDATES("no_candidates"),
    /** Two candidates of the same prompt give the same id. */
    DUPLICATE_ID("duplicate_id");

    private final String code;

    RefusalReason(String code) {
        this.code = code;
    }

    /** The stable code used in counts and reports. */
    public String code() {
        return code;
    }
}
