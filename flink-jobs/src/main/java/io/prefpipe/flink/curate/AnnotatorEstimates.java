package io.prefpipe.flink.curate;

import io.prefpipe.labeling.crowd.AnnotatorFlag;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.AnnotatorProfile;
import io.prefpipe.labeling.crowd.FlagThresholds;
import io.prefpipe.schema.AnnotatorEstimate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps what a fitted annotator model says about one annotator onto the Avro {@link AnnotatorEstimate}. */
final class AnnotatorEstimates {
    private AnnotatorEstimates() {}

    /**
     * The estimate of {@code annotatorId} in {@code model}, flagged with {@link FlagThresholds#DEFAULTS}.
     *
     * @param version the model's version
     * @param fittedAt when the model was fitted
     * @param windowVotes the votes it was fitted on
     */
    static AnnotatorEstimate toAvro(AnnotatorModel model, String annotatorId, long version, Instant fittedAt,
            int windowVotes) {
        AnnotatorProfile profile = model.profile(annotatorId);
        List<String> names = model.estimateNames();
        double[] values = model.estimates(annotatorId);
        Map<String, Double> estimates = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            estimates.put(names.get(i), values[i]);
        }
        return AnnotatorEstimate.newBuilder()
                .setAnnotatorId(annotatorId)
                .setMethod(model.method())
                .setAccuracy(orNull(profile.accuracy()))
                .setInformativeness(orNull(profile.informativeness()))
                .setPFirstShown(orNull(profile.pFirstShown()))
                .setFlags(model.flags(annotatorId, FlagThresholds.DEFAULTS).stream().map(AnnotatorFlag::name).toList())
                .setJudgements(profile.judgements())
                .setEstimates(estimates)
                .setModelVersion(version)
                .setModelTime(fittedAt)
                .setWindowVotes(windowVotes)
                .build();
    }

    /** Profiles say "not modelled" with NaN; the schema says it with null, which every consumer understands. */
    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
