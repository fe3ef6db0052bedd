package io.prefpipe.optimizer.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Multi-head causal self-attention with a fused QKV projection.
 *
 * <pre>
 *   [Q K V] = X W_qkv^T + b_qkv                         X: (B, T, C) → (B, T, 3C), split into heads of width D = C / H
 *   A       = softmax(Q K^T / √D + M)                    Q, K, V: (B, H, T, D);  M: (1, 1, T, T);  A: (B, H, T, T)
 *   Y       = concat_heads(A V) W_o^T + b_o              (B, T, C)
 * </pre>
 *
 * Inputs: {@code X} (B, T, C) and the additive causal mask {@code M} (1, 1, T, T) with 0 where key ≤ query and −∞
 * elsewhere, built once per forward pass by {@link TransformerPolicy}. Output: {@code Y} (B, T, C).
 */
final class CausalSelfAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int heads;
    private final Linear qkv;
    private final Linear output;

    CausalSelfAttention(int width, int heads) {
        super(VERSION);
        this.heads = heads;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        output = addChildBlock("output", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long time = shape.get(1);
        long width = shape.get(2);
        long headWidth = width / heads;

        NDList qkvHeads = qkv.forward(parameterStore, new NDList(x), training).singletonOrThrow().split(3, 2);
        // scaling Q rather than the (T, T) scores is cheaper for T > D
        NDArray q = splitHeads(qkvHeads.get(0), batch, time, headWidth).mul(1.0 / Math.sqrt(headWidth));
        NDArray k = splitHeads(qkvHeads.get(1), batch, time, headWidth);
        NDArray v = splitHeads(qkvHeads.get(2), batch, time, headWidth);

        NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).add(mask).softmax(3);
        NDArray y = attention.matMul(v).transpose(0, 2, 1, 3).reshape(batch, time, width);
        return output.forward(parameterStore, new NDList(y), training);
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray splitHeads(NDArray x, long batch, long time, long headWidth) {
        return x.reshape(batch, time, heads, headWidth).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        qkv.initialize(manager, dataType, x);
        output.initialize(manager, dataType, x);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("unsupported CausalSelfAttention encoding version " + loadVersion
                    + ", this build reads version " + VERSION);
        }
        readInputShapes(is);
    }
}
