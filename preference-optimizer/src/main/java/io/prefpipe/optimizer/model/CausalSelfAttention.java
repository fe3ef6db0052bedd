package io.prefpipe.optimizer.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.prefpipe.optimizer.internal.Scalars;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Multi-head causal self-attention with a fused QKV projection.
 *
 * <pre>
 *   [Q K V] = X W_qkv^T + b_qkv                         X: (B, T, C) → (B, T, 3C), split into heads of width D = C / H
 *   A       = softmax(Q K^T / √D + M)                    Q: (B, H, T, D);  K, V: (B, H, S, D);  A: (B, H, T, S)
 *   Y       = concat_heads(A V) W_o^T + b_o              (B, T, C)
 * </pre>
 *
 * Inputs: {@code X} (B, T, C) and the additive mask {@code M}, broadcastable to (B, 1, T, S), with 0 where a query may
 * attend to a key and −∞ elsewhere. Without a cache S = T; with a {@link KvCache}, the keys and values of the T new
 * positions are appended to the S − T cached ones. Output: {@code Y} (B, T, C).
 *
 * <p>Without a mask (null) and without a cache, M is the causal mask of whole sequences (key ≤ query), and the
 * attention is PyTorch's fused kernel ({@link CausalAttentionKernel}): the training and scoring path. Decoding with a
 * cache and left-padded prompts passes its own mask and takes the ops spelled out above.
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
        return new NDList(attend(parameterStore, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, 0,
                training));
    }

    /**
     * The attention output for {@code x} under {@code mask} (null: causal); with a cache, over the cached positions
     * too, and the new keys and values are appended to layer {@code layer} of it.
     *
     * @throws IllegalArgumentException if a cache comes without a mask
     */
    NDArray attend(ParameterStore parameterStore, NDArray x, NDArray mask, KvCache cache, int layer,
            boolean training) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long time = shape.get(1);
        long width = shape.get(2);
        long headWidth = width / heads;

        NDList qkvHeads = qkv.forward(parameterStore, new NDList(x), training).singletonOrThrow().split(3, 2);
        NDArray q = splitHeads(qkvHeads.get(0), batch, time, headWidth);
        NDArray k = splitHeads(qkvHeads.get(1), batch, time, headWidth);
        NDArray v = splitHeads(qkvHeads.get(2), batch, time, headWidth);
        NDArray heads;
        if (mask == null) {
            if (cache != null) {
                throw new IllegalArgumentException("attending with a cache needs an explicit mask");
            }
            heads = CausalAttentionKernel.apply(q, k, v);
        } else {
            if (cache != null) {
                NDList all = cache.append(layer, k, v);
                k = all.get(0);
                v = all.get(1);
            }
            // scaling Q rather than the (T, S) scores is cheaper for S > D
            q = Scalars.mul(q, 1.0 / Math.sqrt(headWidth));
            heads = q.matMul(k.transpose(0, 1, 3, 2)).add(mask).softmax(3).matMul(v);
        }
        NDArray y = heads.transpose(0, 2, 1, 3).reshape(batch, time, width);
        return output.forward(parameterStore, new NDList(y), training).singletonOrThrow();
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray splitHeads(NDArray x, long batch, long time, long headWidth) {
        return x.reshape(batch, time, heads, headWidth).transpose(0, 2, 1, 3);
    }

    /** Adds this block's parameters under their GPT-2 names ({@code prefix} + {@code c_attn.weight}, ...). */
    void gpt2Parameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "c_attn.weight", qkv.getParameters().get("weight"));
        out.put(prefix + "c_attn.bias", qkv.getParameters().get("bias"));
        out.put(prefix + "c_proj.weight", output.getParameters().get("weight"));
        out.put(prefix + "c_proj.bias", output.getParameters().get("bias"));
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
