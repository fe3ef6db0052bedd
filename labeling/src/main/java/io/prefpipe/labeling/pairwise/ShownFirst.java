package io.prefpipe.labeling.pairwise;

/** Which response of a pair the annotator saw first; position-biased annotators give this away. */
public enum ShownFirst {
    FIRST,
    SECOND,
    UNKNOWN
}
