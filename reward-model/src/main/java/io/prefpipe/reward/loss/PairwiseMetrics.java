package io.prefpipe.reward.loss;

/**
 * How well rewards rank a set of preference pairs (chosen c, rejected r).
 *
 * @param pairs number of pairs
 * @param accuracy fraction of pairs with r_c &gt; r_r; a tie counts as a miss
 * @param loss mean Bradley-Terry negative log-likelihood, mean −log σ(r_c − r_r), in nats; log 2 ≈ 0.693 when every
 *     pair is a tie
 * @param meanMargin mean r_c − r_r
 */
public record PairwiseMetrics(int pairs, double accuracy, double loss, double meanMargin) {

    public PairwiseMetrics {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
        }
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
        }
    }

    /**
     * The metrics of pairs whose rewards are {@code chosen[i]} and {@code rejected[i]}.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static PairwiseMetrics of(double[] chosen, double[] rejected) {
        if (chosen.length != rejected.length) {
            throw new IllegalArgumentException("rejected has " + rejected.length + " rewards but chosen has "
                    + chosen.length);
        }
        if (chosen.length == 0) {
            throw new IllegalArgumentException("no pairs to measure");
        }
        int correct = 0;
        double loss = 0;
        double margin = 0;
        for (int i = 0; i < chosen.length; i++) {
            double d = chosen[i] - rejected[i];
            correct += d > 0 ? 1 : 0;
            loss += softplus(-d);
            margin += d;
        }
        int n = chosen.length;
        return new PairwiseMetrics(n, (double) correct / n, loss / n, margin / n);
    }

    /** log(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
