package io.prefpipe.labeling.crowd;

import java.util.ArrayList;
import java.util.List;

/**
 * Dawid-Skene as a snapshot: class priors p and a K×K confusion matrix π_a per annotator. A new item's posterior is
 *
 * <pre>
 *   T[k] ∝ p_k · Π_votes π_a[k][label]
 * </pre>
 *
 * computed in log space. An unknown annotator gets the pooled confusion matrix: the expected (true class, label)
 * counts of all annotators summed, smoothed like the others. That is the confusion of a typical judgement, so a new
 * annotator counts like an average one, neither ignored nor trusted like the best.
 */
public final class DawidSkeneModel extends FittedAnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "ds";

    private final double[] logPrior;
    private final double[] logConfusion;
    private final double[] defaultLogConfusion;

    DawidSkeneModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] logPrior, double[] logConfusion,
            double[] defaultLogConfusion) {
        super(classes, annotators, judgements);
        this.logPrior = logPrior.clone();
        this.logConfusion = logConfusion.clone();
        this.defaultLogConfusion = defaultLogConfusion.clone();
        check();
    }

    @Override
    void check() {
        int k = classes.size();
        if (judgements.length != annotators.size() || logPrior.length != k
                || logConfusion.length != annotators.size() * k * k || defaultLogConfusion.length != k * k) {
            throw new IllegalArgumentException("array sizes do not match " + annotators.size() + " annotators and "
                    + k + " classes");
        }
        for (double v : logConfusion) {
            if (!(v <= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("logConfusion must be finite log-probabilities, got " + v);
            }
        }
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** The class priors p. */
    public double[] priors() {
        double[] p = new double[logPrior.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logPrior[c]);
        }
        return p;
    }

    /**
     * An annotator's confusion matrix, {@code [true class][label]}, rows summing to 1; the pooled matrix for an
     * unknown annotator.
     */
    public double[][] confusion(String annotatorId) {
        int k = classes.size();
        int a = annotators.indexOf(annotatorId);
        double[] source = a < 0 ? defaultLogConfusion : logConfusion;
        int from = a < 0 ? 0 : a * k * k;
        double[][] m = new double[k][k];
        for (int r = 0; r < k; r++) {
            for (int l = 0; l < k; l++) {
                m[r][l] = Math.exp(source[from + r * k + l]);
            }
        }
        return m;
    }

    @Override
    public double[] posterior(List<Vote> votes) {
        int k = classes.size();
        double[] u = logPrior.clone();
        for (int n = 0; n < votes.size(); n++) {
            Vote v = votes.get(n);
            Posteriors.requireVote(v, k, n);
            int a = annotators.indexOf(v.annotatorId());
            double[] source = a < 0 ? defaultLogConfusion : logConfusion;
            int base = (a < 0 ? 0 : a * k * k) + v.label();
            for (int c = 0; c < k; c++) {
                u[c] += source[base + c * k];
            }
        }
        double[] p = new double[k];
        Posteriors.normalizeLog(u, k, p, 0);
        return p;
    }

    /**
     * Accuracy Σ_k p_k π[k][k]; informativeness max_{k,k'} ½ Σ_l |π[k][l] − π[k'][l]| (for two classes, Raykar and
     * Yu's |sensitivity + specificity − 1|).
     */
    @Override
    public AnnotatorProfile profile(String annotatorId) {
        double[][] m = confusion(annotatorId);
        double[] p = priors();
        int k = m.length;
        double accuracy = 0;
        for (int c = 0; c < k; c++) {
            accuracy += p[c] * m[c][c];
        }
        double informativeness = 0;
        for (int r = 0; r < k; r++) {
            for (int s = r + 1; s < k; s++) {
                double tv = 0;
                for (int l = 0; l < k; l++) {
                    tv += Math.abs(m[r][l] - m[s][l]);
                }
                informativeness = Math.max(informativeness, tv / 2);
            }
        }
        int a = annotators.indexOf(annotatorId);
        return new AnnotatorProfile(annotatorId, a < 0 ? 0 : judgements[a], Math.min(1, accuracy),
                Math.min(1, informativeness), Double.NaN);
    }

    /** {@code p(l|k)} for every true class k and label l, row by row, named by class id. */
    @Override
    public List<String> estimateNames() {
        List<String> names = new ArrayList<>();
        for (String truth : classes.ids()) {
            for (String label : classes.ids()) {
                names.add("p(" + label + "|" + truth + ")");
            }
        }
        return names;
    }

    @Override
    public double[] estimates(String annotatorId) {
        double[][] m = confusion(annotatorId);
        int k = m.length;
        double[] out = new double[k * k];
        for (int r = 0; r < k; r++) {
            System.arraycopy(m[r], 0, out, r * k, k);
        }
        return out;
    }
}
