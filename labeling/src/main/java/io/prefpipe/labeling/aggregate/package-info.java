/** Aggregators that turn the votes of several annotators on one pair into a label with a confidence. */
package io.prefpipe.labeling.aggregate;
