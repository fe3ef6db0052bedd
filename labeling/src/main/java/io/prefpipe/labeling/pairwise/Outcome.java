package io.prefpipe.labeling.pairwise;

/** The result of one vote, or of an aggregation, on a {@link ResponsePair}. */
public enum Outcome {
    /** The pair's first response is preferred. */
    FIRST,
    /** The pair's second response is preferred. */
    SECOND,
    /** The responses are equally good (a vote), or the evidence does not decide (an aggregate). */
    TIE
}
