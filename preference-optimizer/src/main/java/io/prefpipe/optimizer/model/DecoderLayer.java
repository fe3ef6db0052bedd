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
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * One pre-LayerNorm Transformer decoder block (as in GPT-2):
 *
 * <pre>
 *   X ← X + dropout(Attention(LN₁(X), M))
 *   X ← X + dropout(W₂ GELU(W₁ LN₂(X) + b₁) + b₂)
 * </pre>
 *
 * Inputs: {@code X} (B, T, C) and the attention mask {@code M} (see {@link CausalSelfAttention}; absent: causal).
 * Output: {@code X} (B, T, C). W₁ is (M, C) and W₂ is (C, M), with M the MLP width. The GELU variant and the
 * LayerNorm ε come from the {@link PolicyConfig}.
 */
final class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float dropout;
    private final GeluVariant gelu;
    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;

    DecoderLayer(PolicyConfig config) {
        super(VERSION);
        dropout = (float) config.dropout();
        gelu = config.gelu();
        attentionNorm = addChildBlock("attention_norm", layerNorm(config));
        attention = addChildBlock("attention", new CausalSelfAttention(config.width(), config.heads()));
        mlpNorm = addChildBlock("mlp_norm", layerNorm(config));
        mlpIn = addChildBlock("mlp_in", Linear.builder().setUnits(config.mlpWidth()).build());
        mlpOut = addChildBlock("mlp_out", Linear.builder().setUnits(config.width()).build());
    }

    /** A LayerNorm over the width: axis 2 of (B, T, C); without it LayerNorm normalizes over (T, C). */
    static LayerNorm layerNorm(PolicyConfig config) {
        return LayerNorm.builder().axis(2).optEpsilon((float) config.layerNormEpsilon()).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, 0,
                training));
    }

    /** The block's output for {@code x}; with a cache, attending to its positions too (see {@link KvCache}). */
    NDArray forward(ParameterStore parameterStore, NDArray x, NDArray mask, KvCache cache, int layer,
            boolean training) {
        NDArray a = attentionNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        a = attention.attend(parameterStore, a, mask, cache, layer, training);
        x = x.add(dropout(a, training));

        NDArray h = mlpNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        h = mlpIn.forward(parameterStore, new NDList(h), training).singletonOrThrow();
        h = mlpOut.forward(parameterStore, new NDList(gelu.apply(h)), training).singletonOrThrow();
        return x.add(dropout(h, training));
    }

    /** Adds this block's parameters under their GPT-2 names, {@code prefix} + {@code ln_1.weight} and so on. */
    void gpt2Parameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "ln_1.weight", attentionNorm.getParameters().get("gamma"));
        out.put(prefix + "ln_1.bias", attentionNorm.getParameters().get("beta"));
        attention.gpt2Parameters(prefix + "attn.", out);
        out.put(prefix + "ln_2.weight", mlpNorm.getParameters().get("gamma"));
        out.put(prefix + "ln_2.bias", mlpNorm.getParameters().get("beta"));
        out.put(prefix + "mlp.c_fc.weight", mlpIn.getParameters().get("weight"));
        out.put(prefix + "mlp.c_fc.bias", mlpIn.getParameters().get("bias"));
        out.put(prefix + "mlp.c_proj.weight", mlpOut.getParameters().get("weight"));
        out.put(prefix + "mlp.c_proj.bias", mlpOut.getParameters().get("bias"));
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, inputShapes);
        mlpNorm.initialize(manager, dataType, x);
        mlpIn.initialize(manager, dataType, x);
        mlpOut.initialize(manager, dataType, mlpIn.getOutputShapes(new Shape[] {x}));
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("unsupported DecoderLayer encoding version " + loadVersion
                    + ", this build reads version " + VERSION);
        }
        readInputShapes(is);
    }
}
