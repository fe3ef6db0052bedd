package io.prefpipe.optimizer.model.sampling;

/**
 * How to sample responses. The filters apply in the order temperature, top-k, top-p, as in transformers.
 *
 * @param maxNewTokens the most tokens a response gets, EOS not counted; at least 1, default 64
 * @param temperature logits are divided by it before the softmax; 0 means greedy (the most likely token, the lowest
 *     id among ties); default 1
 * @param topK only the k most likely tokens stay candidates; 0 turns the filter off (the default)
 * @param topP nucleus sampling: only the most likely tokens whose probabilities first sum to at least p stay
 *     candidates, at least one; in (0, 1], 1 turns the filter off (the default)
 * @param seed the only source of randomness: equal options and inputs give equal samples; default 0
 */
public record SamplingOptions(int maxNewTokens, double temperature, int topK, double topP, long seed) {

    public SamplingOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().setMaxNewTokens(maxNewTokens).setTemperature(temperature).setTopK(topK).setTopP(topP)
                .setSeed(seed);
    }

    /** These options with another seed. */
    public SamplingOptions withSeed(long seed) {
        return new SamplingOptions(maxNewTokens, temperature, topK, topP, seed);
    }

    /** Whether decoding is greedy (temperature 0): top-k, top-p and the seed then change nothing. */
    public boolean greedy() {
        return temperature == 0;
    }

    /** Builds {@link SamplingOptions}; every setting is optional and validated by {@link #build()}. */
    public static final class Builder {
        private int maxNewTokens = 64;
        private double temperature = 1;
        private int topK;
        private double topP = 1;
        private long seed;

        private Builder() {}

        public Builder setMaxNewTokens(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        public Builder setTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder setTopK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder setTopP(double topP) {
            this.topP = topP;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException naming the field, if a setting is out of range
         */
        public SamplingOptions build() {
            return new SamplingOptions(maxNewTokens, temperature, topK, topP, seed);
        }
    }
}
