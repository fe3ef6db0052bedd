package io.prefpipe.flink.curate;

import io.prefpipe.labeling.aggregate.MajorityVote;
import io.prefpipe.labeling.aggregate.ModelAggregator;
import io.prefpipe.labeling.aggregate.PairwiseAggregator;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.CrowdAggregator;
import io.prefpipe.labeling.crowd.CrowdAggregators;
import java.util.Set;
import java.util.TreeSet;

/**
 * The label aggregators the job can use, by name: {@code mv} (majority vote), {@code wawa} (agreement-weighted vote),
 * {@code ds} (Dawid-Skene), {@code ds-position} (Dawid-Skene with a confusion matrix per display order) and
 * {@code glad}.
 *
 * <p>Each name is a truth-inference method that the job refits now and then over a window of recent votes (its
 * estimates go to the annotators topic and its flip rate into the manifest). Every method but {@code mv} also decides
 * each comparison with the latest fitted model ({@link CurateComparisons} holds a comparison until the first model
 * exists); {@code mv} decides by plain majority vote, which needs no model.
 *
 * <p>The job ships only the name to its tasks and creates the aggregators there, so they need not be serializable.
 */
public final class Aggregators {
    /** The name of plain majority vote. */
    public static final String MAJORITY_VOTE = "mv";

    private Aggregators() {}

    /** The names that the other methods accept: those of {@link CrowdAggregators}. */
    public static Set<String> names() {
        return new TreeSet<>(CrowdAggregators.names());
    }

    /**
     * A new truth-inference method of this name, with its default hyperparameters.
     *
     * @throws IllegalArgumentException if no aggregator has this name
     */
    public static CrowdAggregator<?> estimator(String name) {
        known(name);
        return CrowdAggregators.byName(name);
    }

    /**
     * Whether the aggregator of this name decides comparisons with its fitted model.
     *
     * @throws IllegalArgumentException if no aggregator has this name
     */
    public static boolean decidesWithModel(String name) {
        known(name);
        return !name.equals(MAJORITY_VOTE);
    }

    /**
     * What decides a comparison's pairs: the model when the aggregator decides with one and a model exists, else
     * majority vote.
     *
     * @param model the latest model fitted by {@link #estimator(String) estimator(name)}, or {@code null} before the
     *     first
     * @throws IllegalArgumentException if no aggregator has this name
     */
    public static PairwiseAggregator decider(String name, AnnotatorModel model) {
        return decidesWithModel(name) && model != null ? new ModelAggregator(model) : new MajorityVote();
    }

    private static void known(String name) {
        if (!CrowdAggregators.names().contains(name)) {
            throw new IllegalArgumentException("aggregator '" + name + "' is unknown; known: " + names());
        }
    }
}
