/**
 * Truth inference over K classes: which class is each item, given the labels of several annotators of unknown
 * quality.
 *
 * <ul>
 *   <li>{@link io.prefpipe.labeling.crowd.CrowdDataset}: judgements (item, annotator, label) in primitive arrays with
 *       CSR indexes by item and by annotator, and {@link io.prefpipe.labeling.crowd.IdIndex} dictionaries for ids.
 *   <li>{@link io.prefpipe.labeling.crowd.CrowdAggregator}s hold hyperparameters; {@code fit} returns an immutable
 *       {@link io.prefpipe.labeling.crowd.AggregationResult}: posteriors (soft labels), decided labels or UNDECIDED,
 *       iterations, convergence, log-likelihood, flip-rate estimates and the fitted
 *       {@link io.prefpipe.labeling.crowd.AnnotatorModel}. Majority vote, Wawa, Dawid-Skene (1979), GLAD (Whitehill
 *       et al. 2009), and a position-aware Dawid-Skene for pairwise preferences.
 *   <li>{@link io.prefpipe.labeling.crowd.AnnotatorModel}: the serializable snapshot that scores a new item's votes
 *       without refitting, for the streaming job.
 * </ul>
 */
package io.prefpipe.labeling.crowd;
