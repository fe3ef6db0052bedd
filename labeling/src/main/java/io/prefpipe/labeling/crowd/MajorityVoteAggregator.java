package io.prefpipe.labeling.crowd;

/**
 * Majority vote over K classes. With n_ik the number of item i's judgements that say class k:
 *
 * <pre>
 *   T[i][k]  = n_ik / Σ_c n_ic                         (uniform 1/K for an item without judgements)
 *   decided  = the unique argmax_k n_ik, else UNDECIDED  (ties are never broken arbitrarily)
 * </pre>
 *
 * The per-annotator estimate is their agreement with the decided labels. Closed form: no iterations, no
 * log-likelihood, no hyperparameters.
 */
public final class MajorityVoteAggregator implements CrowdAggregator<MajorityVoteModel> {

    @Override
    public String name() {
        return MajorityVoteModel.METHOD;
    }

    @Override
    public AggregationResult<MajorityVoteModel> fit(CrowdDataset data) {
        double[] t = Posteriors.softMajority(data);
        Agreement agreement = new Agreement(data, Agreement.decide(t, data.numItems(), data.numClasses()));
        MajorityVoteModel model = new MajorityVoteModel(data.classes(), data.annotators(),
                judgementCounts(data), agreement.byAnnotator, agreement.pooled);
        return AggregationResult.builder(data, model).setPosteriors(t).build();
    }

    static int[] judgementCounts(CrowdDataset data) {
        int[] counts = new int[data.numAnnotators()];
        for (int a = 0; a < counts.length; a++) {
            counts[a] = data.annotatorJudgementCount(a);
        }
        return counts;
    }
}
