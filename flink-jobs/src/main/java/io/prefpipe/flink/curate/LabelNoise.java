package io.prefpipe.flink.curate;

import io.prefpipe.labeling.crowd.FlipRateEstimate;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The label noise that one fitted annotator model estimates on the votes of its window (see
 * {@link FlipRateEstimate}). The job hands the latest one from the estimator to the client through the
 * {@value #ACCUMULATOR} accumulator, and a bounded run writes it into the snapshot manifest, where robust DPO reads ε.
 *
 * @param method the truth-inference method, e.g. {@code ds}
 * @param modelVersion the estimator's fit it comes from
 * @param judgementFlipRate expected probability that a single judgement disagrees with the posterior truth
 * @param decidedErrorRate expected probability that a decided (aggregated) label is wrong
 * @param judgements pairwise votes it was estimated on
 * @param decidedLabels decided items it was estimated on
 */
public record LabelNoise(String method, long modelVersion, double judgementFlipRate, double decidedErrorRate,
        int judgements, int decidedLabels) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name of the accumulator that carries the latest estimate. */
    static final String ACCUMULATOR = FateCounters.PREFIX + "label_noise";
    /** Prefix of its keys in the snapshot manifest's properties. */
    public static final String PROPERTY_PREFIX = "label_noise.";
    public static final String METHOD = PROPERTY_PREFIX + "method";
    public static final String JUDGEMENT_FLIP_RATE = PROPERTY_PREFIX + "judgement_flip_rate";
    public static final String DECIDED_ERROR_RATE = PROPERTY_PREFIX + "decided_error_rate";
    public static final String JUDGEMENTS = PROPERTY_PREFIX + "judgements";
    public static final String DECIDED_LABELS = PROPERTY_PREFIX + "decided_labels";
    public static final String MODEL_VERSION = PROPERTY_PREFIX + "model_version";

    public LabelNoise {
        Objects.requireNonNull(method, "method");
    }

    static LabelNoise of(String method, long modelVersion, FlipRateEstimate estimate) {
        return new LabelNoise(method, modelVersion, estimate.perJudgement(), estimate.perDecidedLabel(),
                estimate.judgements(), estimate.decidedItems());
    }

    /** The estimate in a finished job's accumulators, if the estimator ever fitted a model. */
    static Optional<LabelNoise> in(Map<String, Object> accumulators) {
        return accumulators.get(ACCUMULATOR) instanceof LabelNoise n ? Optional.of(n) : Optional.empty();
    }

    /** Its entries for the manifest's properties; rates as Java doubles ({@code NaN} when undefined). */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(METHOD, method);
        p.put(JUDGEMENT_FLIP_RATE, Double.toString(judgementFlipRate));
        p.put(DECIDED_ERROR_RATE, Double.toString(decidedErrorRate));
        p.put(JUDGEMENTS, Integer.toString(judgements));
        p.put(DECIDED_LABELS, Integer.toString(decidedLabels));
        p.put(MODEL_VERSION, Long.toString(modelVersion));
        return p;
    }
}
