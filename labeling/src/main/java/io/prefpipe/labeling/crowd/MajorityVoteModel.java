package io.prefpipe.labeling.crowd;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.util.List;
import java.util.Objects;

/**
 * Majority vote as a snapshot: a new item's posterior is its vote shares, whoever voted. Keeps each annotator's
 * agreement with the majority as their accuracy estimate; an unknown annotator's is the pooled agreement of all
 * judgements.
 */
public final class MajorityVoteModel implements AnnotatorModel {
    private static final long serialVersionUID = 1L;
    static final String METHOD = "mv";

    private final IdIndex classes;
    private final IdIndex annotators;
    private final int[] judgements;
    private final double[] agreement;
    private final double pooledAgreement;

    MajorityVoteModel(IdIndex classes, IdIndex annotators, int[] judgements, double[] agreement,
            double pooledAgreement) {
        this.classes = Objects.requireNonNull(classes, "classes");
        this.annotators = Objects.requireNonNull(annotators, "annotators");
        this.judgements = judgements.clone();
        this.agreement = agreement.clone();
        this.pooledAgreement = pooledAgreement;
        check();
    }

    private void check() {
        if (judgements.length != annotators.size() || agreement.length != annotators.size()) {
            throw new IllegalArgumentException("judgements and agreement must hold one value per annotator ("
                    + annotators.size() + ")");
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw (InvalidObjectException) new InvalidObjectException(e.getMessage()).initCause(e);
        }
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public IdIndex classes() {
        return classes;
    }

    @Override
    public IdIndex annotators() {
        return annotators;
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
