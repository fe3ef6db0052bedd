package io.prefpipe.reward.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.TransformerPolicy;

/**
 * A scalar reward on a policy backbone, as a DJL block:
 *
 * <pre>
 *   H       = LN(X_N) = backbone.hiddenStates(tokens)      (B, T, C)
 *   r(x, y) = w · H[b, last_b]                            w: (C,)
 * </pre>
 *
 * where last_b is the position of the last non-padding token of row b (for a byte-level backbone EOS, when the response
 * fit in the context; for a Hugging Face one the last response token).
 * The causal backbone has read the whole prompt and response by that position, and padding after it cannot reach it.
 * The head has no bias: the Bradley-Terry likelihood depends only on reward differences, so a bias would get no
 * gradient and merely drift with the optimizer's rounding.
 *
 * <p>Inputs: {@code tokens} (B, T) int64 and {@code last} (B,) int64. Output: the rewards (B,) float32.
 */
final class RewardNetwork extends AbstractBlock {

    private static final byte VERSION = 1;

    private final PolicyConfig config;
    private final TransformerPolicy backbone;
    private final Linear head;

    RewardNetwork(PolicyConfig config) {
        super(VERSION);
        this.config = config;
        backbone = addChildBlock("backbone", new TransformerPolicy(config));
        head = addChildBlock("head", Linear.builder().setUnits(1).optBias(false).build());
    }

    TransformerPolicy backbone() {
        return backbone;
    }

    Linear head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDArray last = inputs.get(1);
        NDArray hidden = backbone.hiddenStates(parameterStore, tokens, training);
        // a one-hot weighted sum reads H[b, last_b] exactly (the other terms are 0 · finite) and differentiates
        // like an index
        NDArray select = last.oneHot(Math.toIntExact(tokens.getShape().get(1))).expandDims(2);
        NDArray features = hidden.mul(select).sum(new int[] {1});
        NDArray reward = head.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        return new NDList(reward.squeeze(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        backbone.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(tokens.get(0), config.width()));
    }
}
