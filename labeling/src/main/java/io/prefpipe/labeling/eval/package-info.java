/**
 * Evaluation of aggregated labels against gold: the crowd-truth CSV formats, accuracy with a stated rule for undecided
 * items, and {@link io.prefpipe.labeling.eval.LabelReport}, the accuracy table behind {@code prefpipe label-report}.
 */
package io.prefpipe.labeling.eval;
