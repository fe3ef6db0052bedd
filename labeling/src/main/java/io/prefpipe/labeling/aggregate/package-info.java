/**
 * Aggregators of pairwise votes. Per pair: {@link io.prefpipe.labeling.aggregate.MajorityVote}, and
 * {@link io.prefpipe.labeling.aggregate.ModelAggregator}, which decides with a fitted annotator model. Across many
 * pairs: {@link io.prefpipe.labeling.aggregate.PairwiseDatasets} turns votes into a dataset for the crowd aggregators
 * of {@link io.prefpipe.labeling.crowd}.
 */
package io.prefpipe.labeling.aggregate;
