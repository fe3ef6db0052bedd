package io.prefpipe.flink.curate;

import io.prefpipe.labeling.aggregate.MajorityVote;
import io.prefpipe.labeling.aggregate.PairwiseAggregator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The label aggregators the job can use, by the name recorded in every pair ({@link PairwiseAggregator#name()}).
 *
 * <p>The job ships only the name to its tasks and creates the aggregator there, so aggregators need not be
 * serializable. A new aggregator is one more entry here.
 */
public final class Aggregators {
    private static final Map<String, Supplier<PairwiseAggregator>> BY_NAME = Map.of("mv", MajorityVote::new);

    private Aggregators() {}

    /** The names that {@link #create} accepts. */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }

    /**
     * A new aggregator.
     *
     * @throws IllegalArgumentException if no aggregator has this name
     */
    public static PairwiseAggregator create(String name) {
        Supplier<PairwiseAggregator> supplier = BY_NAME.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException("aggregator '" + name + "' is unknown; known: " + names());
        }
        return supplier.get();
    }
}
