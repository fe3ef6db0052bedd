package io.prefpipe.labeling.crowd;

/**
 * GLAD's M-step objective and its gradient, for fixed posteriors. With c_j = T[i(j)][label_j] the posterior
 * probability that judgement j is correct, x_j = α_a(j) · exp(b_i(j)) and Gaussian priors α ~ N(μ_α, v_α),
 * b ~ N(μ_b, v_b):
 *
 * <pre>
 *   Q(α, b) = Σ_j [ c_j log σ(x_j) + (1 − c_j)(log σ(−x_j) − log(K − 1)) ]
 *             − Σ_a (α_a − μ_α)² / (2 v_α) − Σ_i (b_i − μ_b)² / (2 v_b)
 *   ∂Q/∂α_a = Σ_{j of a} (c_j − σ(x_j)) β_i(j)             − (α_a − μ_α) / v_α
 *   ∂Q/∂b_i = Σ_{j of i} (c_j − σ(x_j)) α_a(j) β_i         − (b_i − μ_b) / v_b
 * </pre>
 *
 * The class-prior term of the expected complete log-likelihood does not depend on α or b and is left out.
 */
final class GladObjective {
    private final CrowdDataset data;
    private final double[] correct;
    private final double logKMinus1;
    private final double alphaMean;
    private final double alphaVariance;
    private final double logBetaMean;
    private final double logBetaVariance;

    /**
     * @param correct c_j per judgement, in the dataset's judgement order
     */
    GladObjective(CrowdDataset data, double[] correct, double alphaMean, double alphaVariance, double logBetaMean,
            double logBetaVariance) {
        this.data = data;
        this.correct = correct;
        this.logKMinus1 = Math.log(data.numClasses() - 1);
        this.alphaMean = alphaMean;
        this.alphaVariance = alphaVariance;
        this.logBetaMean = logBetaMean;
        this.logBetaVariance = logBetaVariance;
    }

    /** N, the number of judgements the objective sums over. */
    int judgements() {
        return data.numJudgements();
    }

    /** Q(α, b). */
    double value(double[] alpha, double[] b) {
        double q = 0;
        for (int i = 0; i < data.numItems(); i++) {
            double beta = Math.exp(b[i]);
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                double x = alpha[data.annotator(j)] * beta;
                double c = correct[j];
                q += c * Posteriors.logSigmoid(x) + (1 - c) * (Posteriors.logSigmoid(-x) - logKMinus1);
            }
            double d = b[i] - logBetaMean;
            q -= d * d / (2 * logBetaVariance);
        }
        for (double a : alpha) {
            double d = a - alphaMean;
            q -= d * d / (2 * alphaVariance);
        }
        return q;
    }

    /**
     * The gradient into {@code gAlpha}, {@code gB}, and the diagonal of the expected negative Hessian (Fisher
     * information plus prior precision, always &gt; 0) into {@code hAlpha}, {@code hB}; all overwritten.
     */
    void gradient(double[] alpha, double[] b, double[] gAlpha, double[] gB, double[] hAlpha, double[] hB) {
        for (int a = 0; a < alpha.length; a++) {
            gAlpha[a] = -(alpha[a] - alphaMean) / alphaVariance;
            hAlpha[a] = 1 / alphaVariance;
        }
        for (int i = 0; i < data.numItems(); i++) {
            double beta = Math.exp(b[i]);
            double g = -(b[i] - logBetaMean) / logBetaVariance;
            double h = 1 / logBetaVariance;
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                int a = data.annotator(j);
                double x = alpha[a] * beta;
                double s = Posteriors.sigmoid(x);
                double r = correct[j] - s;
                double fisher = s * (1 - s);
                gAlpha[a] += r * beta;
                hAlpha[a] += fisher * beta * beta;
                g += r * x;
                h += fisher * x * x;
            }
            gB[i] = g;
            hB[i] = h;
        }
    }
}
