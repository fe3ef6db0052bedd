package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CausalAttentionKernelTest {
    private static final int BATCH = 2;
    private static final int HEADS = 3;
    private static final int TIME = 7;
    private static final int WIDTH = 4;

    @Test
    void apply_equalsTheMaskedSoftmaxSpelledOut_forwardAndBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            Shape shape = new Shape(BATCH, HEADS, TIME, WIDTH);
            NDArray q = manager.randomNormal(shape);
            NDArray k = manager.randomNormal(shape);
            NDArray v = manager.randomNormal(shape);
            // a fixed cotangent makes the backward pass see every output element differently
            NDArray weights = manager.randomNormal(shape);

            NDList fused = valueAndGradients(q, k, v, weights, CausalAttentionKernel::apply);
            NDList spelledOut = valueAndGradients(q, k, v, weights, CausalAttentionKernelTest::maskedSoftmax);
            for (int i = 0; i < fused.size(); i++) {
                assertThat(fused.get(i).toFloatArray())
                        .containsExactly(spelledOut.get(i).toFloatArray(), within(2e-6f));
            }
            // the first query sees only the first key, so its output is that key's value whatever the scores
            assertThat(fused.get(0).get(0, 0, 0).toFloatArray())
                    .containsExactly(v.get(0, 0, 0).toFloatArray(), within(1e-6f));
        }
    }

    private interface Attention {
        NDArray apply(NDArray q, NDArray k, NDArray v);
    }

    /** The output, then the gradients of Σ weights ⊙ output with respect to q, k and v. */
    private static NDList valueAndGradients(NDArray q, NDArray k, NDArray v, NDArray weights, Attention attention) {
        NDArray[] inputs = {q.duplicate(), k.duplicate(), v.duplicate()};
        for (NDArray input : inputs) {
            input.setRequiresGradient(true);
        }
        NDList result = new NDList();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray output = attention.apply(inputs[0], inputs[1], inputs[2]);
            collector.backward(output.mul(weights).sum());
            result.add(output.stopGradient());
        }
        Arrays.stream(inputs).forEach(input -> result.add(input.getGradient().duplicate()));
        return result;
    }

    private static NDArray maskedSoftmax(NDArray q, NDArray k, NDArray v) {
        float[] mask = new float[TIME * TIME];
        for (int query = 0; query < TIME; query++) {
            Arrays.fill(mask, query * TIME + query + 1, (query + 1) * TIME, Float.NEGATIVE_INFINITY);
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(q.getManager().create((float) Math.sqrt(WIDTH)));
        return scores.add(q.getManager().create(mask, new Shape(1, 1, TIME, TIME))).softmax(3).matMul(v);
    }
}
