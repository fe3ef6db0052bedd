package io.prefpipe.labeling.crowd;

/**
 * Each annotator's agreement with a set of decided labels: the share of their judgements on decided items that say
 * the decided class. Judgements on undecided items are left out, since there is nothing to agree with.
 */
final class Agreement {
    /** Per annotator; NaN for an annotator with no judgement on a decided item. */
    final double[] byAnnotator;
    /** Over all judgements on decided items; NaN when there are none. */
    final double pooled;

    Agreement(CrowdDataset data, int[] decided) {
        int numAnnotators = data.numAnnotators();
        double[] agree = new double[numAnnotators];
        double[] total = new double[numAnnotators];
        for (int j = 0; j < data.numJudgements(); j++) {
            int d = decided[data.item(j)];
            if (d == AggregationResult.UNDECIDED) {
                continue;
            }
            int a = data.annotator(j);
            total[a]++;
            if (data.label(j) == d) {
                agree[a]++;
            }
        }
        byAnnotator = new double[numAnnotators];
        double agreeSum = 0;
        double totalSum = 0;
        for (int a = 0; a < numAnnotators; a++) {
            byAnnotator[a] = total[a] == 0 ? Double.NaN : agree[a] / total[a];
            agreeSum += agree[a];
            totalSum += total[a];
        }
        pooled = totalSum == 0 ? Double.NaN : agreeSum / totalSum;
    }

    /** Decided labels of a posterior table, K per item. */
    static int[] decide(double[] posteriors, int numItems, int k) {
        int[] decided = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            decided[i] = Posteriors.decide(posteriors, i * k, k);
        }
        return decided;
    }
}
