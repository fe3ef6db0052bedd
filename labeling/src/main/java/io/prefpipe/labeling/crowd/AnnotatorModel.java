package io.prefpipe.labeling.crowd;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A fitted model of the annotators, frozen as an immutable, serializable snapshot that scores <em>new</em> items from
 * their few votes without refitting.
 *
 * <p>The streaming job re-fits an aggregator over a window now and then, broadcasts {@link AggregationResult#model()}
 * to its tasks, and each task turns the votes on one comparison into a posterior with {@link #posterior(List)}.
 * Annotators the model has not seen are scored with its default model (documented per method), so a new annotator
 * neither breaks scoring nor gets unearned trust.
 *
 * <p>Scoring an item of the fitting data with its own votes gives that item's posterior in the fit, for every method
 * but GLAD, whose snapshot gives a new item a typical difficulty instead of the item's own.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface AnnotatorModel extends Serializable {

    /** The short name of the method that fitted it, e.g. {@code ds}. */
    String method();

    /** The classes; labels and posteriors are indexed by them. */
    IdIndex classes();

    /** The annotators the model was fitted on. */
    IdIndex annotators();

    /**
     * The posterior over classes of a new item given its votes.
     *
     * @return K probabilities summing to 1; the prior (or uniform, for methods without one) when there are no votes
     * @throws IllegalArgumentException if a vote's label or shown-first class is not one of the K classes
     */
    double[] posterior(List<Vote> votes);

    /** The summary of an annotator, or the default model's summary (with 0 judgements) for an unknown one. */
    AnnotatorProfile profile(String annotatorId);

    /** The flags an annotator earns under these thresholds (none for an unknown annotator). */
    default Set<AnnotatorFlag> flags(String annotatorId, FlagThresholds thresholds) {
        return thresholds.flags(profile(annotatorId), classes().size());
    }

    /** Names of the method's own per-annotator estimates, in the order {@link #estimates} returns them. */
    List<String> estimateNames();

    /** The method's own estimates of an annotator (the default model's for an unknown one). */
    double[] estimates(String annotatorId);
}
