package io.prefpipe.labeling.crowd;

import java.util.List;

/**
 * Majority vote as a snapshot: a new item's posterior is its vote shares, whoever voted. Keeps each annotator's
 * agreement with the majority as their accuracy estimate; an unknown annotator's is the pooled agreement of all
 * judgements.
 */
public final class MajorityVoteModel extends FittedAnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "mv";

    private final double[] agreement;
    private final double pooledAgreement;

    MajorityVoteModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] agreement,
            double pooledAgreement) {
        super(classes, annotators, judgements);
        this.agreement = agreement.clone();
        this.pooledAgreement = pooledAgreement;
        check();
    }

    @Override
    void check() {
        if (judgements.length != annotators.size() || agreement.length != annotators.size()) {
            throw new IllegalArgumentException("judgements and agreement must hold one value per annotator ("
                    + annotators.size() + ")");
        }
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public double[] posterior(List<Vote> votes) {
        int k = classes.size();
        double[] p = new double[k];
        for (int n = 0; n < votes.size(); n++) {
            Posteriors.requireVote(votes.get(n), k, n);
            p[votes.get(n).label()] += 1;
        }
        for (int c = 0; c < k; c++) {
            p[c] = votes.isEmpty() ? 1.0 / k : p[c] / votes.size();
        }
        return p;
    }

    @Override
    public AnnotatorProfile profile(String annotatorId) {
        int a = annotators.indexOf(annotatorId);
        return new AnnotatorProfile(annotatorId, a < 0 ? 0 : judgements[a], a < 0 ? pooledAgreement : agreement[a],
                Double.NaN, Double.NaN);
    }

    @Override
    public List<String> estimateNames() {
        return List.of();
    }

    @Override
    public double[] estimates(String annotatorId) {
        return new double[0];
    }
}
