package io.prefpipe.labeling.crowd;

import java.util.Arrays;

/**
 * Dawid-Skene: every annotator a has a full K×K confusion matrix π_a[k][l] = P(a says l | truth is k), items have a
 * class prior p, and EM alternates between the items' posteriors T and the parameters. A. P. Dawid and A. M. Skene,
 * "Maximum Likelihood Estimation of Observer Error-Rates Using the EM Algorithm", Journal of the Royal Statistical
 * Society C 28(1), 1979, 20–28.
 *
 * <p>With s the additive smoothing, N judgements, n items, j ranging over judgements, a(j) and i(j) their annotator
 * and item:
 *
 * <pre>
 *   start    T[i][k] = soft majority vote: share of item i's judgements that say k
 *   M-step   p_k         = (Σ_i T[i][k] + s) / (n + K·s)
 *            π_a[k][l]   = (s + Σ_{j of a, label_j = l} T[i(j)][k]) / (K·s + Σ_{j of a} T[i(j)][k])
 *   E-step   log T[i][k] = log p_k + Σ_{j of i} log π_a(j)[k][label_j] − log Z_i        (in log space)
 *            ℓ           = Σ_i log Z_i = log p(labels | p, π)
 *   stop     when |ℓ_t − ℓ_(t−1)| ≤ tolerance · N, or after maxIterations
 * </pre>
 *
 * The smoothing is a symmetric Dirichlet(1 + s) prior on p and on every row of π (so the fit is MAP, not ML). It keeps
 * every probability above 0, so one surprising label never makes a class impossible, and it gives annotators with few
 * judgements a nearly uniform row where the data say nothing. Each iteration is two passes over primitive arrays,
 * O(N·K) time; no boxing, no per-judgement allocation. Deterministic: no random start, so no seed.
 *
 * <p>The snapshot, {@link DawidSkeneModel}, holds the parameters the final E-step used, so it scores a training
 * item's votes to exactly its posterior in the fit.
 */
public final class DawidSkeneAggregator implements CrowdAggregator<DawidSkeneModel> {
    private final int maxIterations;
    private final double tolerance;
    private final double smoothing;

    /** Defaults: at most 500 iterations, tolerance 1e-8 nats per judgement, smoothing 0.01. */
    public DawidSkeneAggregator() {
        this(builder());
    }

    private DawidSkeneAggregator(Builder b) {
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.smoothing = b.smoothing;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    public double smoothing() {
        return smoothing;
    }

    @Override
    public String name() {
        return DawidSkeneModel.METHOD;
    }

    @Override
    public AggregationResult<DawidSkeneModel> fit(CrowdDataset data) {
        int k = data.numClasses();
        int kk = k * k;
        double[] t = Posteriors.softMajority(data);
        double[] counts = new double[data.numAnnotators() * kk];
        double[] logConf = new double[counts.length];
        double[] logPrior = new double[k];
        double[] u = new double[k];
        double logLikelihood = Double.NaN;
        boolean converged = false;
        int iteration = 0;
        while (iteration < maxIterations && !converged) {
            iteration++;
            mStep(data, t, counts, logConf, logPrior);
            double previous = logLikelihood;
            logLikelihood = eStep(data, logConf, logPrior, t, u);
            converged = iteration > 1 && Math.abs(logLikelihood - previous) <= tolerance * data.numJudgements();
        }
        double[] pooled = new double[kk];
        for (int a = 0; a < data.numAnnotators(); a++) {
            for (int c = 0; c < kk; c++) {
                pooled[c] += counts[a * kk + c];
            }
        }
        double[] defaultLogConf = new double[kk];
        normalizeRows(pooled, 0, k, smoothing, defaultLogConf);
        DawidSkeneModel model = new DawidSkeneModel(data.classes(), data.annotators(),
                MajorityVoteAggregator.judgementCounts(data), logPrior, logConf, defaultLogConf);
        AggregationResult.Builder<DawidSkeneModel> result = AggregationResult.builder(data, model)
                .setPosteriors(t).setIterations(iteration).setConverged(converged);
        if (data.numJudgements() > 0) {
            result.setLogLikelihood(logLikelihood);
        }
        return result.build();
    }

    /** Expected counts of (true class, label) per annotator, then smoothed, normalised log-probabilities. */
    private void mStep(CrowdDataset data, double[] t, double[] counts, double[] logConf, double[] logPrior) {
        int k = data.numClasses();
        int kk = k * k;
        Arrays.fill(counts, 0);
        double[] classTotals = new double[k];
        for (int i = 0; i < data.numItems(); i++) {
            int row = i * k;
            for (int c = 0; c < k; c++) {
                classTotals[c] += t[row + c];
            }
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                int base = data.annotator(j) * kk + data.label(j);
                for (int c = 0; c < k; c++) {
                    counts[base + c * k] += t[row + c];
                }
            }
        }
        for (int a = 0; a < data.numAnnotators(); a++) {
            normalizeRows(counts, a * kk, k, smoothing, logConf);
        }
        double denominator = data.numItems() + k * smoothing;
        for (int c = 0; c < k; c++) {
            logPrior[c] = Math.log((classTotals[c] + smoothing) / denominator);
        }
    }

    /** log((counts[k][l] + s) / (Σ_l counts[k][l] + K·s)) for the K rows of the matrix at {@code from}. */
    static void normalizeRows(double[] counts, int from, int k, double s, double[] logOut) {
        for (int r = 0; r < k; r++) {
            int row = from + r * k;
            double total = k * s;
            for (int l = 0; l < k; l++) {
                total += counts[row + l];
            }
            double logTotal = Math.log(total);
            for (int l = 0; l < k; l++) {
                logOut[row + l] = Math.log(counts[row + l] + s) - logTotal;
            }
        }
    }

    /** Posteriors from the current parameters, in log space; returns the log-likelihood. */
    private static double eStep(CrowdDataset data, double[] logConf, double[] logPrior, double[] t, double[] u) {
        int k = data.numClasses();
        int kk = k * k;
        double logLikelihood = 0;
        for (int i = 0; i < data.numItems(); i++) {
            System.arraycopy(logPrior, 0, u, 0, k);
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                int base = data.annotator(j) * kk + data.label(j);
                for (int c = 0; c < k; c++) {
                    u[c] += logConf[base + c * k];
                }
            }
            logLikelihood += Posteriors.normalizeLog(u, k, t, i * k);
        }
        return logLikelihood;
    }

    static int requireMaxIterations(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        return maxIterations;
    }

    static double requireTolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        return tolerance;
    }

    static double requireSmoothing(double smoothing) {
        if (!(smoothing > 0) || Double.isInfinite(smoothing)) {
            throw new IllegalArgumentException("smoothing must be finite and > 0, got " + smoothing);
        }
        return smoothing;
    }

    /** Sets the hyperparameters; every setting is optional. */
    public static final class Builder {
        int maxIterations = 500;
        double tolerance = 1e-8;
        double smoothing = 0.01;

        private Builder() {}

        /** The iteration cap, at least 1; default 500. */
        public Builder setMaxIterations(int maxIterations) {
            this.maxIterations = requireMaxIterations(maxIterations);
            return this;
        }

        /**
         * Convergence: stop when the log-likelihood changes by at most this many nats per judgement; default 1e-8.
         * 0 runs exactly {@code maxIterations} unless the likelihood stops changing at all.
         */
        public Builder setTolerance(double tolerance) {
            this.tolerance = requireTolerance(tolerance);
            return this;
        }

        /**
         * The pseudo-count s added to every cell of every confusion row and to every class of the prior; &gt; 0,
         * default 0.01.
         */
        public Builder setSmoothing(double smoothing) {
            this.smoothing = requireSmoothing(smoothing);
            return this;
        }

        /** The position-aware variant ({@link PositionAwareDawidSkene}) with these settings. */
        public PositionAwareDawidSkene buildPositionAware() {
            return new PositionAwareDawidSkene(this);
        }

        public DawidSkeneAggregator build() {
            return new DawidSkeneAggregator(this);
        }
    }
}
