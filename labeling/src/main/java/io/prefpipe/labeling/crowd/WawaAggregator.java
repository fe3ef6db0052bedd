package io.prefpipe.labeling.crowd;

/**
 * Wawa, "worker agreement with aggregate": majority vote weighted by each annotator's agreement with the unweighted
 * majority. As in crowd-kit (Ustalov et al., "Learning from Crowds with Crowd-Kit", JOSS 2024):
 *
 * <pre>
 *   d_i      = the majority-vote label of item i (undecided items are left out below)
 *   w_a      = #{j of a : item(j) decided, label_j = d_item(j)} / #{j of a : item(j) decided}
 *              (the pooled agreement of all judgements for an annotator with none on a decided item)
 *   T[i][k]  = Σ_{j of i, label_j = k} w_a(j) / Σ_{j of i} w_a(j)          (uniform when every weight is 0)
 *   decided  = the unique argmax_k T[i][k], else UNDECIDED
 * </pre>
 *
 * One pass, no iterations, no log-likelihood, no hyperparameters.
 */
public final class WawaAggregator implements CrowdAggregator<WawaModel> {

    @Override
    public String name() {
        return WawaModel.METHOD;
    }

    @Override
    public AggregationResult<WawaModel> fit(CrowdDataset data) {
        int k = data.numClasses();
        double[] majority = Posteriors.softMajority(data);
        Agreement agreement = new Agreement(data, Agreement.decide(majority, data.numItems(), k));
        WawaModel model = new WawaModel(data.classes(), data.annotators(),
                MajorityVoteAggregator.judgementCounts(data), agreement.byAnnotator, agreement.pooled);
        double[] t = new double[data.numItems() * k];
        for (int i = 0; i < data.numItems(); i++) {
            double total = 0;
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                double w = model.weight(data.annotator(j));
                t[i * k + data.label(j)] += w;
                total += w;
            }
            for (int c = 0; c < k; c++) {
                t[i * k + c] = total == 0 ? 1.0 / k : t[i * k + c] / total;
            }
        }
        return AggregationResult.builder(data, model).setPosteriors(t).build();
    }
}
