package io.prefpipe.labeling.crowd;

import java.util.Arrays;

/** Shared arithmetic on posteriors stored row by row, K per item. */
final class Posteriors {
    /**
     * Two probabilities closer than this are a tie. Wide enough to absorb rounding in sums taken in different orders,
     * far below any difference the data can support.
     */
    static final double TIE_TOLERANCE = 1e-9;

    private Posteriors() {}

    /** The unique most probable class of row {@code from..from+k-1}, or {@link AggregationResult#UNDECIDED}. */
    static int decide(double[] p, int from, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (p[from + c] > p[from + best]) {
                best = c;
            }
        }
        for (int c = 0; c < k; c++) {
            if (c != best && p[from + best] - p[from + c] <= TIE_TOLERANCE) {
                return AggregationResult.UNDECIDED;
            }
        }
        return best;
    }

    /** Soft majority vote: T[i][k] = share of item i's judgements that say k (uniform for an item without any). */
    static double[] softMajority(CrowdDataset data) {
        int k = data.numClasses();
        double[] t = new double[data.numItems() * k];
        for (int i = 0; i < data.numItems(); i++) {
            int start = data.itemStart(i);
            int end = data.itemEnd(i);
            if (start == end) {
                Arrays.fill(t, i * k, i * k + k, 1.0 / k);
                continue;
            }
            for (int j = start; j < end; j++) {
                t[i * k + data.label(j)]++;
            }
            // divide counts (rather than add 1/n n times) so shares are exact when counts are equal and sum to 1
            for (int c = 0; c < k; c++) {
                t[i * k + c] /= end - start;
            }
        }
        return t;
    }

    /**
     * Turns log-scores in {@code u[0..k-1]} into probabilities in {@code out[from..from+k-1]}, shifting by the max
     * so exp cannot overflow or underflow to all zeros.
     *
     * @return log Σ_c exp(u[c]), the item's log-likelihood term
     */
    static double normalizeLog(double[] u, int k, double[] out, int from) {
        double max = u[0];
        for (int c = 1; c < k; c++) {
            max = Math.max(max, u[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(u[c] - max);
            out[from + c] = e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            out[from + c] /= sum;
        }
        return max + Math.log(sum);
    }

    /** log σ(x) = −softplus(−x), without overflow. */
    static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    /** σ(x) = 1 / (1 + e^−x), without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** Checks a vote against K classes, naming the vote. */
    static void requireVote(Vote v, int k, int index) {
        if (v.label() >= k) {
            throw new IllegalArgumentException("vote " + index + ": label " + v.label() + " is not a class in [0, " + k
                    + ")");
        }
        if (v.shownFirst() >= k) {
            throw new IllegalArgumentException("vote " + index + ": shownFirst " + v.shownFirst()
                    + " is not a class in [0, " + k + ")");
        }
    }
}
