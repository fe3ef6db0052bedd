package io.prefpipe.optimizer.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;

/** Builds pair batches from plain numbers and runs a loss with the policy arrays under autograd. */
final class PairBatches {

    private PairBatches() {}

    /** A batch whose responses are one token long, so summed and per-token log-probabilities coincide. */
    static PairLogProbs of(NDManager m, float[] policyChosen, float[] policyRejected, float[] refChosen,
            float[] refRejected) {
        float[] ones = new float[policyChosen.length];
        Arrays.fill(ones, 1f);
        return of(m, policyChosen, policyRejected, refChosen, refRejected, ones, ones);
    }

    static PairLogProbs of(NDManager m, float[] policyChosen, float[] policyRejected, float[] refChosen,
            float[] refRejected, float[] chosenTokens, float[] rejectedTokens) {
        return new PairLogProbs(m.create(policyChosen), m.create(policyRejected), m.create(refChosen),
                m.create(refRejected), m.create(chosenTokens), m.create(rejectedTokens));
    }

    /**
     * The loss's output and its gradient w.r.t. the policy log-probabilities.
     *
     * @param chosen ∂L/∂log π_θ(y_w|x), one per pair
     * @param rejected ∂L/∂log π_θ(y_l|x)
     */
    record Result(LossOutput output, float[] chosen, float[] rejected) {
        double loss() {
            return output.metrics().get("loss");
        }
    }

    /** The metrics' values in their order, to compare with a row of hand-computed numbers. */
    static double[] metricValues(LossOutput output) {
        return output.metrics().values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Result run(PairwisePreferenceLoss loss, PairLogProbs batch) {
        batch.policyChosen().setRequiresGradient(true);
        batch.policyRejected().setRequiresGradient(true);
        LossOutput output;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            output = loss.compute(batch);
            collector.backward(output.loss());
        }
        return new Result(output, batch.policyChosen().getGradient().toFloatArray(),
                batch.policyRejected().getGradient().toFloatArray());
    }
}
