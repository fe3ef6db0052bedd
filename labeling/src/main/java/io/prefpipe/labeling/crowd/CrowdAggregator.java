package io.prefpipe.labeling.crowd;

/**
 * Infers the true class of every item from the labels of several annotators of unknown quality (truth inference).
 * Holds only hyperparameters; everything learned is in the returned result. Implementations are immutable,
 * thread-safe and deterministic: the same data gives the same result.
 *
 * @param <M> the annotator model the method fits
 */
public interface CrowdAggregator<M extends AnnotatorModel> {

    /** A short stable name, e.g. {@code ds}; also {@link AnnotatorModel#method()} of what it fits. */
    String name();

    /** Fits the method to the data. */
    AggregationResult<M> fit(CrowdDataset data);
}
