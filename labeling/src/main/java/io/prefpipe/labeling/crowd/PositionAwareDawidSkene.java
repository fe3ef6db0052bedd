package io.prefpipe.labeling.crowd;

import java.util.Arrays;

/**
 * Dawid-Skene for pairwise preferences whose display order is known, so annotators who favour a screen position are
 * caught and discounted. Two classes: 0 = the pair's first response is better, 1 = the second is.
 *
 * <p>Each annotator's confusion is kept in <em>display</em> coordinates: ρ_a[u][v] = P(a picks the response shown
 * at position v | the better response is shown at position u), u, v ∈ {0 = shown first, 1 = shown second}. A
 * judgement whose shown-first class is f maps class c to position c ⊕ f, so with p the class prior:
 *
 * <pre>
 *   known order     P(label l | z = c) = ρ_a[c ⊕ f][l ⊕ f]
 *   unknown order   P(label l | z = c) = ½ ρ_a[c][l] + ½ ρ_a[1 − c][1 − l]     (display assumed randomised)
 *   E-step          log T[i][c] = log p_c + Σ_{j of i} log P(label_j | z = c) − log Z_i,   ℓ = Σ_i log Z_i
 *   M-step          p_c = (Σ_i T[i][c] + s) / (n + 2s)
 *                   ρ_a[u][v] = (s + E[#(better at u, picked v)]) / (2s + E[#(better at u)])
 * </pre>
 *
 * where the expected counts add T[i][c] to cell [c ⊕ f][l ⊕ f] for a known order, and for an unknown order split it
 * between the two possible orders in proportion to ρ_a[c][l] and ρ_a[1 − c][1 − l] (exact EM with the order as a
 * latent variable; an even split before the first estimate). Start, smoothing and stopping are those of
 * {@link DawidSkeneAggregator} (Dawid and Skene 1979), whose confusion this conditions on display order.
 *
 * <p>This recovers the usual annotator types: accurate ρ ≈ [[q, 1−q], [1−q, q]]; random ρ ≈ all ½; adversarial q
 * well below ½; always-picks-first ρ = [[1, 0], [1, 0]], whose rows are equal so their votes carry no evidence and
 * drop out of every posterior. A partly biased annotator's vote for the second-shown response counts more than one
 * for the first-shown. {@link PositionAwareModel#profile} turns ρ into accuracy, P(picks first shown) and flags.
 */
public final class PositionAwareDawidSkene implements CrowdAggregator<PositionAwareModel> {
    private final int maxIterations;
    private final double tolerance;
    private final double smoothing;

    /**
     * Defaults: those of {@link DawidSkeneAggregator}. Other settings: {@code
     * DawidSkeneAggregator.builder().setX(..).buildPositionAware()}, as the two share every hyperparameter.
     */
    public PositionAwareDawidSkene() {
        this(DawidSkeneAggregator.builder());
    }

    PositionAwareDawidSkene(DawidSkeneAggregator.Builder b) {
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.smoothing = b.smoothing;
    }

    @Override
    public String name() {
        return PositionAwareModel.METHOD;
    }

    /**
     * @throws IllegalArgumentException if the data do not have exactly two classes
     */
    @Override
    public AggregationResult<PositionAwareModel> fit(CrowdDataset data) {
        if (data.numClasses() != 2) {
            throw new IllegalArgumentException("position-aware Dawid-Skene needs exactly 2 classes, got "
                    + data.classes());
        }
        double[] t = Posteriors.softMajority(data);
        double[] counts = new double[data.numAnnotators() * 4];
        double[] logRho = null;
        double[] logPrior = new double[2];
        double[] u = new double[2];
        double logLikelihood = Double.NaN;
        boolean converged = false;
        int iteration = 0;
        while (iteration < maxIterations && !converged) {
            iteration++;
            logRho = mStep(data, t, logRho, counts, logPrior);
            double previous = logLikelihood;
            logLikelihood = eStep(data, logRho, logPrior, t, u);
            converged = iteration > 1 && Math.abs(logLikelihood - previous) <= tolerance * data.numJudgements();
        }
        double[] pooled = new double[4];
        for (int a = 0; a < data.numAnnotators(); a++) {
            for (int c = 0; c < 4; c++) {
                pooled[c] += counts[a * 4 + c];
            }
        }
        double[] defaultLogRho = new double[4];
        DawidSkeneAggregator.normalizeRows(pooled, 0, 2, smoothing, defaultLogRho);
        PositionAwareModel model = new PositionAwareModel(data.classes(), data.annotators(),
                MajorityVoteAggregator.judgementCounts(data), logPrior, logRho, defaultLogRho);
        AggregationResult.Builder<PositionAwareModel> result = AggregationResult.builder(data, model)
                .setPosteriors(t).setIterations(iteration).setConverged(converged);
        if (data.numJudgements() > 0) {
            result.setLogLikelihood(logLikelihood);
        }
        return result.build();
    }

    /**
     * Expected display-coordinate counts, then smoothed log ρ and the log prior.
     *
     * @param logRho the previous estimate, or {@code null} before the first one
     * @return the new log ρ, 4 per annotator: [better first, picked first], [first, second], [second, first], ...
     */
    private double[] mStep(CrowdDataset data, double[] t, double[] logRho, double[] counts, double[] logPrior) {
        Arrays.fill(counts, 0);
        double[] classTotals = new double[2];
        for (int i = 0; i < data.numItems(); i++) {
            classTotals[0] += t[2 * i];
            classTotals[1] += t[2 * i + 1];
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                int base = data.annotator(j) * 4;
                int l = data.label(j);
                int f = data.shownFirst(j);
                for (int c = 0; c < 2; c++) {
                    double w = t[2 * i + c];
                    if (f != CrowdDataset.UNKNOWN_POSITION) {
                        counts[base + 2 * (c ^ f) + (l ^ f)] += w;
                        continue;
                    }
                    // the order is latent: the vote came from display (c, l) or its mirror (1 - c, 1 - l)
                    double share = 0.5;
                    if (logRho != null) {
                        double direct = Math.exp(logRho[base + 2 * c + l]);
                        double mirror = Math.exp(logRho[base + 2 * (1 - c) + (1 - l)]);
                        share = direct / (direct + mirror);
                    }
                    counts[base + 2 * c + l] += w * share;
                    counts[base + 2 * (1 - c) + (1 - l)] += w * (1 - share);
                }
            }
        }
        double[] next = new double[counts.length];
        for (int a = 0; a < data.numAnnotators(); a++) {
            DawidSkeneAggregator.normalizeRows(counts, a * 4, 2, smoothing, next);
        }
        double denominator = data.numItems() + 2 * smoothing;
        for (int c = 0; c < 2; c++) {
            logPrior[c] = Math.log((classTotals[c] + smoothing) / denominator);
        }
        return next;
    }

    private static double eStep(CrowdDataset data, double[] logRho, double[] logPrior, double[] t, double[] u) {
        double logLikelihood = 0;
        for (int i = 0; i < data.numItems(); i++) {
            u[0] = logPrior[0];
            u[1] = logPrior[1];
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                int base = data.annotator(j) * 4;
                int l = data.label(j);
                int f = data.shownFirst(j);
                for (int c = 0; c < 2; c++) {
                    u[c] += PositionAwareModel.logLikelihood(logRho, base, c, l, f);
                }
            }
            logLikelihood += Posteriors.normalizeLog(u, 2, t, 2 * i);
        }
        return logLikelihood;
    }
}
