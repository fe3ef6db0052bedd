package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Negative log-likelihood per response token, the supervised fine-tuning (SFT) objective:
 *
 * <pre>
 *   L = −Σ_b log π_θ(y_b | x_b) / Σ_b |y_b|
 * </pre>
 *
 * where |y_b| counts the scored response tokens of row b. Averaging over tokens rather than sequences keeps long
 * responses from dominating the step size. {@code evaluate(labels, predictions)} takes {@code labels = [token counts
 * (B,)]} and {@code predictions = [sequence log-probabilities (B,)]}.
 */
public final class SequenceNllLoss extends Loss {

    public SequenceNllLoss() {
        super("sft_nll");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return predictions.singletonOrThrow().sum().neg().div(labels.singletonOrThrow().sum());
    }
}
