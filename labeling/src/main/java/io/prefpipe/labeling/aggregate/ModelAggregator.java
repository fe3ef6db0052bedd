package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Decides one pair with a fitted annotator model: the streaming job fits a crowd aggregator over a window of
 * {@link PairwiseDatasets} now and then, broadcasts {@link AggregationResult#model()}, and decides each comparison's
 * pairs with this, without refitting.
 *
 * <pre>
 *   pFirst    = the model's posterior that the first response is better, from the non-tie votes
 *   decided   = FIRST or SECOND by {@link AggregationResult#decide}, else TIE (undecided)
 *   no non-tie vote: TIE with pFirst = ½, since the prior alone must not decide a pair
 *   agreement = votes for the decided response / all votes (ties included); 0 when undecided
 * </pre>
 *
 * Immutable and serializable when the model is (every model in this library is).
 */
public final class ModelAggregator implements PairwiseAggregator, Serializable {
    private static final long serialVersionUID = 1L;

    private final AnnotatorModel model;

    /**
     * @param model a model fitted on a {@link PairwiseDatasets} dataset
     * @throws IllegalArgumentException if the model's classes are not {@link PairwiseDatasets#CLASSES}
     */
    public ModelAggregator(AnnotatorModel model) {
        this.model = Objects.requireNonNull(model, "model");
        if (!model.classes().ids().equals(PairwiseDatasets.CLASSES)) {
            throw new IllegalArgumentException("model classes must be " + PairwiseDatasets.CLASSES + ", got "
                    + model.classes().ids());
        }
    }

    /** The snapshot it decides with. */
    public AnnotatorModel model() {
        return model;
    }

    /** {@code model-} and the model's method, e.g. {@code model-ds}. */
    @Override
    public String name() {
        return "model-" + model.method();
    }

    @Override
    public PairLabel aggregate(ResponsePair pair, List<PairwiseVote> votes) {
        int first = 0;
        int second = 0;
        for (PairwiseVote v : votes) {
            if (!v.pair().equals(pair)) {
                throw new IllegalArgumentException("vote from event " + v.eventId() + " is on " + v.pair()
                        + ", not on " + pair);
            }
            if (v.outcome() == Outcome.FIRST) {
                first++;
            } else if (v.outcome() == Outcome.SECOND) {
                second++;
            }
        }
        if (first + second == 0) {
            // no evidence: the model's prior alone must never decide a pair
            return new PairLabel(pair, Outcome.TIE, 0.5, votes.size(), 0);
        }
        double[] p = model.posterior(PairwiseDatasets.toVotes(votes));
        int d = AggregationResult.decide(p);
        Outcome decided = d == AggregationResult.UNDECIDED ? Outcome.TIE : d == 0 ? Outcome.FIRST : Outcome.SECOND;
        double agreement = decided == Outcome.TIE ? 0
                : (double) (decided == Outcome.FIRST ? first : second) / votes.size();
        return new PairLabel(pair, decided, p[0], votes.size(), agreement);
    }
}
