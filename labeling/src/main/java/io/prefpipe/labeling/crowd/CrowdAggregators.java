package io.prefpipe.labeling.crowd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The truth-inference methods by the names used on the command line, in job configuration and in every result:
 * {@code mv}, {@code wawa}, {@code ds}, {@code ds-position} and {@code glad}, each with its default hyperparameters.
 */
public final class CrowdAggregators {
    private static final Map<String, Supplier<CrowdAggregator<?>>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("mv", MajorityVoteAggregator::new);
        BY_NAME.put("wawa", WawaAggregator::new);
        BY_NAME.put("ds", DawidSkeneAggregator::new);
        BY_NAME.put("ds-position", PositionAwareDawidSkene::new);
        BY_NAME.put("glad", GladAggregator::new);
    }

    private CrowdAggregators() {}

    /** The accepted names, in a stable order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * A new aggregator of this name.
     *
     * @throws IllegalArgumentException naming the accepted names if there is none of this name
     */
    public static CrowdAggregator<?> byName(String name) {
        Supplier<CrowdAggregator<?>> supplier = BY_NAME.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException("aggregator must be one of " + names() + ", got '" + name + "'");
        }
        return supplier.get();
    }
}
