package io.prefpipe.labeling.crowd;

import java.util.Arrays;

/**
 * GLAD, "Generative model of Labels, Abilities, and Difficulties": J. Whitehill, P. Ruvolo, T. Wu, J. Bergsma and J.
 * Movellan, "Whose Vote Should Count More: Optimal Integration of Labels from Labelers of Unknown Expertise", NIPS
 * 2009. Annotator a has an ability α_a ∈ ℝ (negative: adversarial), item i an inverse difficulty β_i = exp(b_i) &gt; 0
 * (near 0: nobody can tell, whatever their skill), and
 *
 * <pre>
 *   P(label_j = z_i)      = σ(α_a · β_i)
 *   P(label_j = l ≠ z_i)  = (1 − σ(α_a · β_i)) / (K − 1)          (errors spread evenly over the other classes)
 * </pre>
 *
 * EM, starting (like {@link DawidSkeneAggregator}) from the soft majority vote T:
 *
 * <pre>
 *   M-step  (α, b) ← argmax Q(α, b) by preconditioned gradient ascent (see GladObjective for Q and ∇Q), with
 *                    Gaussian priors α ~ N(μ_α, v_α), b ~ N(μ_b, v_b): N(1, 1) for both, as in the authors' code
 *   E-step  log T[i][k] = log p_k + Σ_{j of i} [label_j = k] log σ(x_j) + [label_j ≠ k] (log σ(−x_j) − log(K−1))
 *                         − log Z_i,                      x_j = α_a(j) β_i;   ℓ = Σ_i log Z_i
 *   stop    when |ℓ_t − ℓ_(t−1)| ≤ tolerance · N, or after maxIterations
 * </pre>
 *
 * Each gradient step moves every parameter by its gradient over the diagonal of the expected negative Hessian (an
 * always-positive Fisher-scoring scale that makes one step size fit α and b alike), halving the step until Q rises
 * by the Armijo condition. The class prior p is uniform and fixed, as the paper takes it as given (and crowd-kit
 * does the same): re-estimating it lets the item difficulties absorb disagreement while p drifts to one class.
 * Deterministic, so no seed.
 */
public final class GladAggregator implements CrowdAggregator<GladModel> {
    private static final double ARMIJO = 1e-4;

    private final int maxIterations;
    private final double tolerance;
    private final int mStepIterations;
    private final double alphaMean;
    private final double alphaVariance;
    private final double logBetaMean;
    private final double logBetaVariance;

    /** Defaults: see {@link Builder}. */
    public GladAggregator() {
        this(builder());
    }

    private GladAggregator(Builder b) {
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.mStepIterations = b.mStepIterations;
        this.alphaMean = b.alphaMean;
        this.alphaVariance = b.alphaVariance;
        this.logBetaMean = b.logBetaMean;
        this.logBetaVariance = b.logBetaVariance;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return GladModel.METHOD;
    }

    @Override
    public AggregationResult<GladModel> fit(CrowdDataset data) {
        int k = data.numClasses();
        double[] t = Posteriors.softMajority(data);
        double[] alpha = new double[data.numAnnotators()];
        double[] b = new double[data.numItems()];
        Arrays.fill(alpha, alphaMean);
        Arrays.fill(b, logBetaMean);
        // The class prior is uniform and fixed, as in the paper: learning it lets per-item difficulties explain
        // disagreement away while the prior drifts to one class (on duck it ran to 94/6 against a true 56/44).
        double[] logPrior = new double[k];
        Arrays.fill(logPrior, -Math.log(k));
        double[] correct = new double[data.numJudgements()];
        double[] u = new double[k];
        double logLikelihood = Double.NaN;
        boolean converged = false;
        int iteration = 0;
        while (iteration < maxIterations && !converged) {
            iteration++;
            mStep(data, t, correct, alpha, b);
            double previous = logLikelihood;
            logLikelihood = eStep(data, logPrior, alpha, b, t, u);
            converged = iteration > 1 && Math.abs(logLikelihood - previous) <= tolerance * data.numJudgements();
        }
        double meanAlpha = Arrays.stream(alpha).average().orElse(alphaMean);
        double meanLogBeta = Arrays.stream(b).average().orElse(logBetaMean);
        double[] beta = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            beta[i] = Math.exp(b[i]);
        }
        GladModel model = new GladModel(data.classes(), data.annotators(),
                MajorityVoteAggregator.judgementCounts(data), logPrior, alpha, meanAlpha, Math.exp(meanLogBeta));
        AggregationResult.Builder<GladModel> result = AggregationResult.builder(data, model).setPosteriors(t)
                .setInverseDifficulty(beta).setIterations(iteration).setConverged(converged);
        if (data.numJudgements() > 0) {
            result.setLogLikelihood(logLikelihood);
        }
        return result.build();
    }

    private void mStep(CrowdDataset data, double[] t, double[] correct, double[] alpha, double[] b) {
        int k = data.numClasses();
        for (int i = 0; i < data.numItems(); i++) {
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                correct[j] = t[i * k + data.label(j)];
            }
        }
        GladObjective objective = new GladObjective(data, correct, alphaMean, alphaVariance, logBetaMean,
                logBetaVariance);
        ascend(objective, alpha, b, mStepIterations);
    }

    /**
     * Preconditioned gradient ascent with Armijo backtracking; updates {@code alpha} and {@code b} in place. Stops
     * after {@code steps} steps, or earlier when the expected gain Σ g²/h is negligible or no step size helps.
     */
    static void ascend(GladObjective objective, double[] alpha, double[] b, int steps) {
        double[] gA = new double[alpha.length];
        double[] hA = new double[alpha.length];
        double[] gB = new double[b.length];
        double[] hB = new double[b.length];
        double[] nextAlpha = new double[alpha.length];
        double[] nextB = new double[b.length];
        double q = objective.value(alpha, b);
        for (int step = 0; step < steps; step++) {
            objective.gradient(alpha, b, gA, gB, hA, hB);
            double gain = 0;
            for (int a = 0; a < alpha.length; a++) {
                gain += gA[a] * gA[a] / hA[a];
            }
            for (int i = 0; i < b.length; i++) {
                gain += gB[i] * gB[i] / hB[i];
            }
            // gain/2 is the rise a full Newton-like step would give: stop once it is negligible per judgement
            if (gain <= 1e-10 * objective.judgements()) {
                return;
            }
            double rate = 1;
            double next;
            while (true) {
                for (int a = 0; a < alpha.length; a++) {
                    nextAlpha[a] = alpha[a] + rate * gA[a] / hA[a];
                }
                for (int i = 0; i < b.length; i++) {
                    nextB[i] = b[i] + rate * gB[i] / hB[i];
                }
                next = objective.value(nextAlpha, nextB);
                if (next >= q + ARMIJO * rate * gain) {
                    break;
                }
                rate /= 2;
                if (rate < 1e-10) {
                    return;
                }
            }
            System.arraycopy(nextAlpha, 0, alpha, 0, alpha.length);
            System.arraycopy(nextB, 0, b, 0, b.length);
            q = next;
        }
    }

    private static double eStep(CrowdDataset data, double[] logPrior, double[] alpha, double[] b, double[] t,
            double[] u) {
        int k = data.numClasses();
        double logKMinus1 = Math.log(k - 1);
        double logLikelihood = 0;
        for (int i = 0; i < data.numItems(); i++) {
            System.arraycopy(logPrior, 0, u, 0, k);
            double beta = Math.exp(b[i]);
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                double x = alpha[data.annotator(j)] * beta;
                double right = Posteriors.logSigmoid(x);
                double wrong = Posteriors.logSigmoid(-x) - logKMinus1;
                for (int c = 0; c < k; c++) {
                    u[c] += wrong;
                }
                u[data.label(j)] += right - wrong;
            }
            logLikelihood += Posteriors.normalizeLog(u, k, t, i * k);
        }
        return logLikelihood;
    }

    /** Sets the hyperparameters; every setting is optional. */
    public static final class Builder {
        private int maxIterations = 200;
        private double tolerance = 1e-7;
        private int mStepIterations = 25;
        private double alphaMean = 1;
        private double alphaVariance = 1;
        private double logBetaMean = 1;
        private double logBetaVariance = 1;

        private Builder() {}

        /** The EM iteration cap, at least 1; default 200. */
        public Builder setMaxIterations(int maxIterations) {
            this.maxIterations = DawidSkeneAggregator.requireMaxIterations(maxIterations);
            return this;
        }

        /** Stop when the log-likelihood changes by at most this many nats per judgement; default 1e-7. */
        public Builder setTolerance(double tolerance) {
            this.tolerance = DawidSkeneAggregator.requireTolerance(tolerance);
            return this;
        }

        /** Gradient steps per M-step, at least 1; default 25 (the cap the authors' code gives its optimiser). */
        public Builder setMStepIterations(int mStepIterations) {
            if (mStepIterations < 1) {
                throw new IllegalArgumentException("mStepIterations must be >= 1, got " + mStepIterations);
            }
            this.mStepIterations = mStepIterations;
            return this;
        }

        /** The Gaussian prior on abilities α, and their starting value; default N(1, 1). */
        public Builder setAlphaPrior(double mean, double variance) {
            requirePrior(mean, variance, "alpha");
            this.alphaMean = mean;
            this.alphaVariance = variance;
            return this;
        }

        /** The Gaussian prior on b = log β, and its starting value; default N(1, 1). */
        public Builder setLogBetaPrior(double mean, double variance) {
            requirePrior(mean, variance, "logBeta");
            this.logBetaMean = mean;
            this.logBetaVariance = variance;
            return this;
        }

        private static void requirePrior(double mean, double variance, String field) {
            if (Double.isNaN(mean) || Double.isInfinite(mean)) {
                throw new IllegalArgumentException(field + " prior mean must be finite, got " + mean);
            }
            if (!(variance > 0) || Double.isInfinite(variance)) {
                throw new IllegalArgumentException(field + " prior variance must be finite and > 0, got "
                        + variance);
            }
        }

        public GladAggregator build() {
            return new GladAggregator(this);
        }
    }
}
