package io.prefpipe.optimizer.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only causal Transformer language model (GPT-2 layout) as a DJL block.
 *
 * <pre>
 *   X₀     = E[tokens] + P[0..T-1]                 E: (V, C) token embedding, P: (L, C) learned positions
 *   Xᵢ     = DecoderLayerᵢ(Xᵢ₋₁, M)               pre-LayerNorm blocks, i = 1..N
 *   logits = LN(X_N) E^T                          (B, T, V); the output head is tied to E (no separate weights)
 * </pre>
 *
 * <p>Input: {@code tokens} (B, T) int64 with T ≤ L = context length. Output: {@code logits} (B, T, V) float32, where
 * {@code logits[b, t]} scores token t + 1 given tokens 0..t of row b. With a second input {@code positions} (N,) int64
 * of flat indices b·T + t, the output is those positions' logits alone, (N, V): the head is the largest matmul of a
 * GPT-2-sized model, and its softmax over the vocabulary the largest elementwise work, so scoring only the response
 * tokens of a batch skips what the prompt tokens would cost there. The attention M is causal (PyTorch's fused
 * kernel, see {@link CausalSelfAttention}): position t never attends to a later position, so right padding cannot
 * change the logits of the positions before it.
 *
 * <p>For incremental decoding, {@link #nextTokenLogits} runs new positions against a {@link KvCache} with explicit
 * position ids and mask, which lets a batch of left-padded prompts decode together.
 *
 * <p>Tying the head to the embedding saves V·C parameters and makes the initial distribution near uniform (both are
 * drawn with σ = 0.02). Persisted metadata (version {@value #VERSION}) records the configuration, and loading parameters
 * saved for another shape fails with {@link MalformedModelException} instead of silently mis-assigning weights.
 */
public final class TransformerPolicy extends AbstractBlock {

    private static final byte VERSION = 1;

    private final PolicyConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    /** An uninitialized policy of the given shape. */
    public TransformerPolicy(PolicyConfig config) {
        super(VERSION);
        this.config = config;
        tokenEmbedding = addParameter(Parameter.builder()
                .setName("token_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.width()))
                .build());
        positionEmbedding = addParameter(Parameter.builder()
                .setName("position_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.contextLength(), config.width()))
                .build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer_" + i, new DecoderLayer(config)));
        }
        finalNorm = addChildBlock("final_norm", DecoderLayer.layerNorm(config));
    }

    /** The configuration this block was built for. */
    public PolicyConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = hiddenStates(parameterStore, inputs.get(0), training);
        if (inputs.size() > 1) {
            hidden = hidden.reshape(-1, config.width()).get(inputs.get(1));
        }
        return new NDList(head(parameterStore, hidden, training));
    }

    /** The tied output head: hidden (…, C) → logits (…, V). */
    private NDArray head(ParameterStore parameterStore, NDArray hidden, boolean training) {
        NDArray embedding = parameterStore.getValue(tokenEmbedding, hidden.getDevice(), training);
        return Linear.linear(hidden, embedding).singletonOrThrow();
    }

    /**
     * The final hidden states LN(X_N), (B, T, C): what the tied output head turns into logits, and what a scalar
     * head (a reward model) reads.
     *
     * @param tokens (B, T) int64, T ≤ context length
     */
    public NDArray hiddenStates(ParameterStore parameterStore, NDArray tokens, boolean training) {
        long time = tokens.getShape().get(1);
        if (time > config.contextLength()) {
            throw new IllegalArgumentException("sequence length " + time + " exceeds contextLength "
                    + config.contextLength());
        }
        // every array below derives from `tokens` as first operand, so it lives in the caller's (per-step) manager
        NDManager manager = tokens.getManager();
        NDArray positions = manager.arange(0, (int) time, 1, DataType.INT64);
        // no mask: each layer's attention is causal over the whole sequence (see CausalSelfAttention)
        return hiddenStates(parameterStore, tokens, positions, null, null, training);
    }

    /**
     * The logits of the token after the last of {@code tokens}, computed against and appended to {@code cache}.
     *
     * @param tokens (B, T) int64, the positions after the cached ones
     * @param positions (B, T) int64, each token's position id in its own sequence (left padding shifts them), all
     *     below the context length
     * @param mask additive, (B, 1, T, S) with S = cached + T: 0 where a query may attend, −∞ elsewhere
     * @return (B, V) float32
     */
    NDArray nextTokenLogits(ParameterStore parameterStore, NDArray tokens, NDArray positions, NDArray mask,
            KvCache cache) {
        long time = tokens.getShape().get(1);
        NDArray hidden = hiddenStates(parameterStore, tokens, positions, mask, cache, false);
        NDArray last = hidden.get(":, {}, :", time - 1);
        return head(parameterStore, last, false);
    }

    private NDArray hiddenStates(ParameterStore parameterStore, NDArray tokens, NDArray positions, NDArray mask,
            KvCache cache, boolean training) {
        NDArray embedding = parameterStore.getValue(tokenEmbedding, tokens.getDevice(), training);
        NDArray x = Embedding.embedding(tokens, embedding, SparseFormat.DENSE).singletonOrThrow()
                .add(Embedding.embedding(positions, parameterStore.getValue(positionEmbedding, tokens.getDevice(),
                        training), SparseFormat.DENSE).singletonOrThrow());
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
        }
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(parameterStore, x, mask, cache, i, training);
        }
        return finalNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    /** A cache for {@link #nextTokenLogits}, one slot per layer, in a sub-manager of {@code manager}. */
    KvCache newCache(NDManager manager) {
        return new KvCache(manager, layers.size());
    }

    /**
     * Every parameter by its GPT-2 name (see {@link io.prefpipe.optimizer.model.gpt2.Gpt2Weights}): {@code
     * wte.weight}, {@code wpe.weight}, {@code h.{i}.…}, {@code ln_f.{weight,bias}}. The output head is tied to {@code
     * wte.weight} and has no entry.
     */
    Map<String, Parameter> gpt2Parameters() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        parameters.put("wte.weight", tokenEmbedding);
        parameters.put("wpe.weight", positionEmbedding);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).gpt2Parameters("h." + i + ".", parameters);
        }
        parameters.put("ln_f.weight", finalNorm.getParameters().get("gamma"));
        parameters.put("ln_f.bias", finalNorm.getParameters().get("beta"));
        return parameters;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        return new Shape[] {inputShapes.length > 1
                ? new Shape(inputShapes[1].get(0), config.vocabSize())
                : new Shape(tokens.get(0), tokens.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        Shape hidden = new Shape(tokens.get(0), tokens.get(1), config.width());
        Shape mask = new Shape(1, 1, tokens.get(1), tokens.get(1));
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden, mask);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        for (int value : shapeFingerprint(config)) {
            os.writeInt(value);
        }
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("unsupported TransformerPolicy encoding version " + loadVersion
                    + ", this build reads version " + VERSION);
        }
        readInputShapes(is);
        // DJL names a block's inputs only when it initializes one, and cannot save a loaded block without the names
        beforeInitialize(inputShapes);
        int[] expected = shapeFingerprint(config);
        int[] saved = new int[expected.length];
        for (int i = 0; i < saved.length; i++) {
            saved[i] = is.readInt();
        }
        if (!Arrays.equals(saved, expected)) {
            throw new MalformedModelException("parameters were saved for [vocabSize, contextLength, layers, heads,"
                    + " width, mlpWidth] = " + Arrays.toString(saved) + " but the block is "
                    + Arrays.toString(expected));
        }
    }

    private static int[] shapeFingerprint(PolicyConfig config) {
        return new int[] {config.vocabSize(), config.contextLength(), config.layers(), config.heads(), config.width(),
            config.mlpWidth()};
    }
}
