package io.prefpipe.labeling.crowd;

import java.util.List;

/**
 * Wawa as a snapshot: a new item's posterior is its votes weighted by each voter's agreement with the majority,
 * T[k] ∝ Σ_{votes for k} w_a. An unknown annotator gets the pooled agreement of all judgements as weight.
 */
public final class WawaModel extends FittedAnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "wawa";

    private final double[] weights;
    private final double defaultWeight;

    /**
     * @param agreement per annotator; NaN (no judgement on a decided item) means the default weight
     * @param pooledAgreement the default weight; NaN (nothing decided at all) means 1, plain majority vote
     */
    WawaModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] agreement, double pooledAgreement) {
        super(classes, annotators, judgements);
        this.defaultWeight = Double.isNaN(pooledAgreement) ? 1 : pooledAgreement;
        this.weights = new double[agreement.length];
        for (int a = 0; a < agreement.length; a++) {
            weights[a] = Double.isNaN(agreement[a]) ? defaultWeight : agreement[a];
        }
        check();
    }

    @Override
    void check() {
        if (judgements.length != annotators.size() || weights.length != annotators.size()) {
            throw new IllegalArgumentException("judgements and weights must hold one value per annotator ("
                    + annotators.size() + ")");
        }
        for (double w : weights) {
            if (!(w >= 0 && w <= 1)) {
                throw new IllegalArgumentException("weights must be in [0, 1], got " + w);
            }
        }
    }

    double weight(int annotator) {
        return weights[annotator];
    }

    /** An annotator's weight: their agreement with the majority, or the default weight for an unknown one. */
    public double weight(String annotatorId) {
        int a = annotators.indexOf(annotatorId);
        return a < 0 ? defaultWeight : weights[a];
    }

    /** The weight of annotators the model has not seen. */
    public double defaultWeight() {
        return defaultWeight;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public double[] posterior(List<Vote> votes) {
        int k = classes.size();
        double[] p = new double[k];
        double total = 0;
        for (int n = 0; n < votes.size(); n++) {
            Vote v = votes.get(n);
            Posteriors.requireVote(v, k, n);
            double w = weight(v.annotatorId());
            p[v.label()] += w;
            total += w;
        }
        for (int c = 0; c < k; c++) {
            p[c] = total == 0 ? 1.0 / k : p[c] / total;
        }
        return p;
    }

    @Override
    public AnnotatorProfile profile(String annotatorId) {
        int a = annotators.indexOf(annotatorId);
        return new AnnotatorProfile(annotatorId, a < 0 ? 0 : judgements[a], weight(annotatorId), Double.NaN,
                Double.NaN);
    }

    @Override
    public List<String> estimateNames() {
        return List.of("weight");
    }

    @Override
    public double[] estimates(String annotatorId) {
        return new double[] {weight(annotatorId)};
    }
}
