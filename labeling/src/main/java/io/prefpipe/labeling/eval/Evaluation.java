package io.prefpipe.labeling.eval;

import io.prefpipe.labeling.crowd.AggregationResult;

/** Compares aggregated labels with gold labels. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * The accuracy of a result against gold, with undecided items credited as {@link AccuracyReport} explains. Items
     * whose gold is {@link GoldLabels#NOT_A_CLASS} count as wrong.
     *
     * @throws IllegalArgumentException if the gold labels belong to another item dictionary
     */
    public static AccuracyReport accuracy(AggregationResult<?> result, GoldLabels gold) {
        if (!result.items().equals(gold.items())) {
            throw new IllegalArgumentException("gold labels are aligned with another item dictionary");
        }
        int withTruth = 0;
        int decided = 0;
        int correct = 0;
        double credit = 0;
        for (int i = 0; i < result.numItems(); i++) {
            int truth = gold.truth(i);
            if (truth == GoldLabels.NO_TRUTH) {
                continue;
            }
            withTruth++;
            int label = result.decided(i);
            if (label != AggregationResult.UNDECIDED) {
                decided++;
                if (label == truth) {
                    correct++;
                }
                continue;
            }
            int[] tied = result.mostProbable(i);
            for (int c : tied) {
                if (c == truth) {
                    credit += 1.0 / tied.length;
                }
            }
        }
        return new AccuracyReport(withTruth, decided, correct, credit);
    }
}
