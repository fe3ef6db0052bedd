package io.prefpipe.optimizer.model;

import io.prefpipe.optimizer.internal.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Shape of a {@link TransformerPolicy}. The defaults (2 layers, width 64, 4 heads, 96 tokens of context, about 120k
 * parameters) train at tens of steps per second on two CPU cores.
 *
 * @param vocabSize number of token ids; at least {@link ByteTokenizer#VOCAB_SIZE}, default exactly that
 * @param contextLength maximum tokens per sequence, BOS and EOS included; default 96
 * @param layers number of Transformer blocks; default 2
 * @param heads attention heads per block; must divide {@code width}; default 4
 * @param width model width d<sub>model</sub>; default 64
 * @param mlpWidth hidden width of each block's MLP; default {@code 4 * width}
 * @param dropout dropout rate on the embeddings and on each residual branch while training; default 0 (off)
 */
public record PolicyConfig(
        int vocabSize, int contextLength, int layers, int heads, int width, int mlpWidth, double dropout) {

    /** File name of the JSON form next to saved parameters. */
    public static final String FILE_NAME = "config.json";

    public PolicyConfig {
        requireAtLeast("vocabSize", vocabSize, ByteTokenizer.VOCAB_SIZE);
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
                .setDropout(dropout);
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

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming the field, if a setting is out of range
         */
        public PolicyConfig build() {
            return new PolicyConfig(vocabSize, contextLength, layers, heads, width,
                    mlpWidth == null ? 4 * width : mlpWidth, dropout);
        }
    }
}
