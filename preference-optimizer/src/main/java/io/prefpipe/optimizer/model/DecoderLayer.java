package io.prefpipe.optimizer.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * One pre-LayerNorm Transformer decoder block (as in GPT-2):
 *
 * <pre>
 *   X ← X + dropout(Attention(LN₁(X), M))
 *   X ← X + dropout(W₂ GELU(W₁ LN₂(X) + b₁) + b₂)
 * </pre>
 *
 * Inputs: {@code X} (B, T, C) and the causal mask {@code M} (1, 1, T, T). Output: {@code X} (B, T, C). W₁ is (M, C)
 * and W₂ is (C, M), with M the MLP width.
 */
final class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float dropout;
    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;

    DecoderLayer(PolicyConfig config) {
        super(VERSION);
        dropout = (float) config.dropout();
        // axis 2 is the width of (B, T, C); without it LayerNorm normalizes over (T, C)
        attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new CausalSelfAttention(config.width(), config.heads()));
        mlpNorm = addChildBlock("mlp_norm", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlp_in", Linear.builder().setUnits(config.mlpWidth()).build());
        mlpOut = addChildBlock("mlp_out", Linear.builder().setUnits(config.width()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);

        NDArray a = attentionNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        a = attention.forward(parameterStore, new NDList(a, mask), training).singletonOrThrow();
        x = x.add(dropout(a, training));

        NDArray h = mlpNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        h = mlpIn.forward(parameterStore, new NDList(h), training).singletonOrThrow();
        h = mlpOut.forward(parameterStore, new NDList(Activation.gelu(h)), training).singletonOrThrow();
        return new NDList(x.add(dropout(h, training)));
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
