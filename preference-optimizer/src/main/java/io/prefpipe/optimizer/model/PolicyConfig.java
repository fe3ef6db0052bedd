package io.prefpipe.optimizer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.prefpipe.optimizer.internal.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Shape of a {@link TransformerPolicy}. The defaults (2 layers, width 64, 4 heads, 96 tokens of context, about 120k
 * parameters) train at tens of steps per second on two CPU cores.
 *
 * @param vocabSize number of token ids; at least 2, and at least {@link ByteTokenizer#VOCAB_SIZE} for the byte-level
 *     policy of {@link PolicyModel#create}; default exactly that
 * @param contextLength maximum tokens per sequence, BOS and EOS included; default 96
 * @param layers number of Transformer blocks; default 2
 * @param heads attention heads per block; must divide {@code width}; default 4
 * @param width model width d<sub>model</sub>; default 64
 * @param mlpWidth hidden width of each block's MLP; default {@code 4 * width}
 * @param dropout dropout rate on the embeddings and on each residual branch while training; default 0 (off)
 * @param gelu the MLP's activation; default {@link GeluVariant#ERF}, GPT-2 checkpoints use {@link GeluVariant#TANH}
 * @param layerNormEpsilon the ε added to the variance in every LayerNorm; default 1e-5, as GPT-2
 */
public record PolicyConfig(int vocabSize, int contextLength, int layers, int heads, int width, int mlpWidth,
        double dropout, GeluVariant gelu, double layerNormEpsilon) {

    /** File name of the JSON form next to saved parameters. */
    public static final String FILE_NAME = "config.json";

    /** The default {@link #gelu()}. */
    public static final GeluVariant DEFAULT_GELU = GeluVariant.ERF;
    /** The default {@link #layerNormEpsilon()}. */
    public static final double DEFAULT_LAYER_NORM_EPSILON = 1e-5;

    public PolicyConfig {
        // the smallest vocabulary with a token to condition on and one to predict
        requireAtLeast("vocabSize", vocabSize, 2);
        // BOS plus at least one response token
        requireAtLeast("contextLength", contextLength, 2);
        requireAtLeast("layers", layers, 1);
        requireAtLeast("heads", heads, 1);
        requireAtLeast("width", width, 1);
        requireAtLeast("mlpWidth", mlpWidth, 1);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " must be a multiple of heads " + heads);
        }
        if (gelu == null) {
            throw new IllegalArgumentException("gelu must be set");
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layerNormEpsilon must be positive and finite, got " + layerNormEpsilon);
        }
    }

    /** A configuration with the default {@link #gelu()} and {@link #layerNormEpsilon()}. */
    public PolicyConfig(int vocabSize, int contextLength, int layers, int heads, int width, int mlpWidth,
            double dropout) {
        this(vocabSize, contextLength, layers, heads, width, mlpWidth, dropout, DEFAULT_GELU,
                DEFAULT_LAYER_NORM_EPSILON);
    }

    /**
     * The JSON form; {@code gelu} and {@code layerNormEpsilon} default when absent, so configurations written before
     * they existed still read as the model they described.
     */
    @JsonCreator
    static PolicyConfig fromJson(@JsonProperty(value = "vocabSize", required = true) int vocabSize,
            @JsonProperty(value = "contextLength", required = true) int contextLength,
            @JsonProperty(value = "layers", required = true) int layers,
            @JsonProperty(value = "heads", required = true) int heads,
            @JsonProperty(value = "width", required = true) int width,
            @JsonProperty(value = "mlpWidth", required = true) int mlpWidth,
            @JsonProperty(value = "dropout", required = true) double dropout,
            @JsonProperty("gelu") GeluVariant gelu,
            @JsonProperty("layerNormEpsilon") Double layerNormEpsilon) {
        return new PolicyConfig(vocabSize, contextLength, layers, heads, width, mlpWidth, dropout,
                gelu == null ? DEFAULT_GELU : gelu,
                layerNormEpsilon == null ? DEFAULT_LAYER_NORM_EPSILON : layerNormEpsilon);
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }

    /** The default configuration. */
    public static PolicyConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .setVocabSize(vocabSize)
                .setContextLength(contextLength)
                .setLayers(layers)
                .setHeads(heads)
                .setWidth(width)
                .setMlpWidth(mlpWidth)
                .setDropout(dropout)
                .setGelu(gelu)
                .setLayerNormEpsilon(layerNormEpsilon);
    }

    /** Width of one attention head, {@code width / heads}. */
    public int headWidth() {
        return width / heads;
    }

    /** Writes this configuration as JSON to {@code dir/}{@value #FILE_NAME}. */
    public void write(Path dir) throws IOException {
        Json.write(dir.resolve(FILE_NAME), this);
    }

    /** Reads the configuration in {@code dir/}{@value #FILE_NAME}. */
    public static PolicyConfig read(Path dir) throws IOException {
        return Json.read(dir.resolve(FILE_NAME), PolicyConfig.class);
    }

    /** Builds a {@link PolicyConfig}; every setting is optional and validated by {@link #build()}. */
    public static final class Builder {
        private int vocabSize = ByteTokenizer.VOCAB_SIZE;
        private int contextLength = 96;
        private int layers = 2;
        private int heads = 4;
        private int width = 64;
        private Integer mlpWidth;
        private double dropout;
        private GeluVariant gelu = DEFAULT_GELU;
        private double layerNormEpsilon = DEFAULT_LAYER_NORM_EPSILON;

        private Builder() {}

        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        public Builder setContextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Sets the MLP hidden width; unset, it is {@code 4 * width}. */
        public Builder setMlpWidth(int mlpWidth) {
            this.mlpWidth = mlpWidth;
            return this;
        }

        public Builder setDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder setGelu(GeluVariant gelu) {
            this.gelu = gelu;
            return this;
        }

        public Builder setLayerNormEpsilon(double layerNormEpsilon) {
            this.layerNormEpsilon = layerNormEpsilon;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming the field, if a setting is out of range
         */
        public PolicyConfig build() {
            return new PolicyConfig(vocabSize, contextLength, layers, heads, width,
                    mlpWidth == null ? 4 * width : mlpWidth, dropout, gelu, layerNormEpsilon);
        }
    }
}
