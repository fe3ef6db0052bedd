package io.prefpipe.labeling.crowd;

import java.util.List;

/**
 * Position-aware Dawid-Skene as a snapshot: class priors p and each annotator's display-coordinate confusion ρ_a (see
 * {@link PositionAwareDawidSkene}). A new item's posterior is T[c] ∝ p_c · Π_votes P(label | z = c), reading each
 * vote's shown-first class (unknown order: averaged over both orders). An unknown annotator gets the pooled ρ of all
 * judgements.
 */
public final class PositionAwareModel extends FittedAnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "ds-position";
    private static final double LOG_HALF = Math.log(0.5);

    private final double[] logPrior;
    private final double[] logRho;
    private final double[] defaultLogRho;

    PositionAwareModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] logPrior, double[] logRho,
            double[] defaultLogRho) {
        super(classes, annotators, judgements);
        this.logPrior = logPrior.clone();
        this.logRho = logRho.clone();
        this.defaultLogRho = defaultLogRho.clone();
        check();
    }

    @Override
    void check() {
        if (classes.size() != 2 || judgements.length != annotators.size() || logPrior.length != 2
                || logRho.length != 4 * annotators.size() || defaultLogRho.length != 4) {
            throw new IllegalArgumentException("array sizes do not match " + annotators.size()
                    + " annotators and 2 classes (classes: " + classes + ")");
        }
    }

    /**
     * log P(label l | z = c) for the annotator whose ρ starts at {@code base}, given the shown-first class f (or
     * {@link CrowdDataset#UNKNOWN_POSITION}).
     */
    static double logLikelihood(double[] logRho, int base, int c, int l, int f) {
        if (f != CrowdDataset.UNKNOWN_POSITION) {
            return logRho[base + 2 * (c ^ f) + (l ^ f)];
        }
        double direct = logRho[base + 2 * c + l];
        double mirror = logRho[base + 2 * (1 - c) + (1 - l)];
        double max = Math.max(direct, mirror);
        return LOG_HALF + max + Math.log(Math.exp(direct - max) + Math.exp(mirror - max));
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** The class priors p. */
    public double[] priors() {
        return new double[] {Math.exp(logPrior[0]), Math.exp(logPrior[1])};
    }

    /**
     * An annotator's display-coordinate confusion ρ[u][v] = P(picks position v | better at position u), 0 = shown
     * first; the pooled matrix for an unknown annotator.
     */
    public double[][] displayConfusion(String annotatorId) {
        int a = annotators.indexOf(annotatorId);
        double[] source = a < 0 ? defaultLogRho : logRho;
        int base = a < 0 ? 0 : 4 * a;
        return new double[][] {
            {Math.exp(source[base]), Math.exp(source[base + 1])},
            {Math.exp(source[base + 2]), Math.exp(source[base + 3])}
        };
    }

    @Override
    public double[] posterior(List<Vote> votes) {
        double[] u = logPrior.clone();
        for (int n = 0; n < votes.size(); n++) {
            Vote v = votes.get(n);
            Posteriors.requireVote(v, 2, n);
            int a = annotators.indexOf(v.annotatorId());
            double[] source = a < 0 ? defaultLogRho : logRho;
            int base = a < 0 ? 0 : 4 * a;
            for (int c = 0; c < 2; c++) {
                u[c] += logLikelihood(source, base, c, v.label(), v.shownFirst());
            }
        }
        double[] p = new double[2];
        Posteriors.normalizeLog(u, 2, p, 0);
        return p;
    }

    /**
     * With ρ the display confusion, and the better response shown first or second equally often: accuracy
     * ½(ρ[0][0] + ρ[1][1]); P(picks first shown) ½(ρ[0][0] + ρ[1][0]); informativeness |ρ[0][0] − ρ[1][0]|, which
     * is 0 both for a random clicker and for one who always picks the same position.
     */
    @Override
    public AnnotatorProfile profile(String annotatorId) {
        double[][] rho = displayConfusion(annotatorId);
        int a = annotators.indexOf(annotatorId);
        return new AnnotatorProfile(annotatorId, a < 0 ? 0 : judgements[a],
                Math.min(1, (rho[0][0] + rho[1][1]) / 2), Math.min(1, Math.abs(rho[0][0] - rho[1][0])),
                Math.min(1, (rho[0][0] + rho[1][0]) / 2));
    }

    /** The accuracy when the better response is shown first, ρ[0][0], and when it is shown second, ρ[1][1]. */
    @Override
    public List<String> estimateNames() {
        return List.of("accuracy_better_shown_first", "accuracy_better_shown_second");
    }

    @Override
    public double[] estimates(String annotatorId) {
        double[][] rho = displayConfusion(annotatorId);
        return new double[] {rho[0][0], rho[1][1]};
    }
}
