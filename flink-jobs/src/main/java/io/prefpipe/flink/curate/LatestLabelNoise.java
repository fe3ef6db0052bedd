package io.prefpipe.flink.curate;

import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * An accumulator that keeps the {@link LabelNoise} of the newest model version it was given. Unlike Flink's counters it
 * does not add up: each estimate replaces the previous one, so the job result holds the final model's estimate.
 */
final class LatestLabelNoise implements Accumulator<LabelNoise, LabelNoise> {
    private static final long serialVersionUID = 1L;

    private LabelNoise latest;

    @Override
    public void add(LabelNoise value) {
        if (latest == null || value.modelVersion() > latest.modelVersion()) {
            latest = value;
        }
    }

    @Override
    public LabelNoise getLocalValue() {
        return latest;
    }

    @Override
    public void resetLocal() {
        latest = null;
    }

    @Override
    public void merge(Accumulator<LabelNoise, LabelNoise> other) {
        if (other.getLocalValue() != null) {
            add(other.getLocalValue());
        }
    }

    @Override
    public LatestLabelNoise clone() {
        LatestLabelNoise copy = new LatestLabelNoise();
        copy.latest = latest;
        return copy;
    }
}
