package io.prefpipe.labeling.crowd;

import java.util.List;

/**
 * GLAD as a snapshot: class priors p and an ability α_a per annotator. A new item has no fitted difficulty, so it gets
 * the typical one, β_new = exp(mean_i b_i) (the geometric mean of the fitted β); its posterior is
 *
 * <pre>
 *   T[k] ∝ p_k · Π_votes ( σ(α_a β_new) if label = k, else (1 − σ(α_a β_new)) / (K − 1) )
 * </pre>
 *
 * An unknown annotator gets the mean fitted ability.
 */
public final class GladModel extends FittedAnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "glad";

    private final double[] logPrior;
    private final double[] alpha;
    private final double defaultAlpha;
    private final double newItemBeta;

    GladModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] logPrior, double[] alpha,
            double defaultAlpha, double newItemBeta) {
        super(classes, annotators, judgements);
        this.logPrior = logPrior.clone();
        this.alpha = alpha.clone();
        this.defaultAlpha = defaultAlpha;
        this.newItemBeta = newItemBeta;
        check();
    }

    @Override
    void check() {
        if (judgements.length != annotators.size() || alpha.length != annotators.size()
                || logPrior.length != classes.size()) {
            throw new IllegalArgumentException("array sizes do not match " + annotators.size() + " annotators and "
                    + classes.size() + " classes");
        }
        if (!(newItemBeta > 0) || Double.isInfinite(newItemBeta)) {
            throw new IllegalArgumentException("newItemBeta must be finite and > 0, got " + newItemBeta);
        }
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** An annotator's ability α; the mean ability for an unknown one. */
    public double alpha(String annotatorId) {
        int a = annotators.indexOf(annotatorId);
        return a < 0 ? defaultAlpha : alpha[a];
    }

    /** The inverse difficulty β a new item is scored with. */
    public double newItemInverseDifficulty() {
        return newItemBeta;
    }

    /** The class priors p. */
    public double[] priors() {
        double[] p = new double[logPrior.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logPrior[c]);
        }
        return p;
    }

    @Override
    public double[] posterior(List<Vote> votes) {
        int k = classes.size();
        double logKMinus1 = Math.log(k - 1);
        double[] u = logPrior.clone();
        for (int n = 0; n < votes.size(); n++) {
            Vote v = votes.get(n);
            Posteriors.requireVote(v, k, n);
            double x = alpha(v.annotatorId()) * newItemBeta;
            double right = Posteriors.logSigmoid(x);
            double wrong = Posteriors.logSigmoid(-x) - logKMinus1;
            for (int c = 0; c < k; c++) {
                u[c] += wrong;
            }
            u[v.label()] += right - wrong;
        }
        double[] p = new double[k];
        Posteriors.normalizeLog(u, k, p, 0);
        return p;
    }

    /**
     * Accuracy σ(α β_new) on an item of typical difficulty; informativeness |σ − (1 − σ)/(K − 1)|, the distance
     * between two rows of the one-coin confusion matrix.
     */
    @Override
    public AnnotatorProfile profile(String annotatorId) {
        double s = Posteriors.sigmoid(alpha(annotatorId) * newItemBeta);
        int a = annotators.indexOf(annotatorId);
        return new AnnotatorProfile(annotatorId, a < 0 ? 0 : judgements[a], s,
                Math.min(1, Math.abs(s - (1 - s) / (classes.size() - 1))), Double.NaN);
    }

    @Override
    public List<String> estimateNames() {
        return List.of("alpha");
    }

    @Override
    public double[] estimates(String annotatorId) {
        return new double[] {alpha(annotatorId)};
    }
}
