package io.prefpipe.labeling.sampling.jsonl;

import io.prefpipe.labeling.sampling.Pairing;
import io.prefpipe.labeling.sampling.RejectionSamplerConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one {@link RsoFileRunner#run} needs. Build with {@link #builder()}.
 *
 * @param input the JSONL file to read, one prompt per line
 * @param output the JSONL file to write, one pair per line; replaced atomically when the run completes
 * @param sampling n and β of the rejection sampler
 * @param pairing how accepted candidates become pairs
 * @param seed the run seed; each prompt's draws depend only on this seed and the prompt text
 */
public record RsoOptions(Path input, Path output, RejectionSamplerConfig sampling, Pairing pairing, long seed) {
    /** Default pairing: the paper's best by AutoSxS. */
    public static final Pairing DEFAULT_PAIRING = Pairing.FIRST_ROUND;

    /** Default run seed. */
    public static final long DEFAULT_SEED = 1L;

    /** @throws IllegalArgumentException if {@code output} is the same file as {@code input} */
    public RsoOptions {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(pairing, "pairing");
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("output must differ from input, both are " + input);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builder for {@link RsoOptions}. {@code input} and {@code output} are required; n, β, pairing and seed default to
     * {@link RejectionSamplerConfig#DEFAULT_N}, {@link RejectionSamplerConfig#DEFAULT_BETA}, {@link #DEFAULT_PAIRING}
     * and {@link #DEFAULT_SEED}.
     */
    public static final class Builder {
        private Path input;
        private Path output;
        private int n = RejectionSamplerConfig.DEFAULT_N;
        private double beta = RejectionSamplerConfig.DEFAULT_BETA;
        private Pairing pairing = DEFAULT_PAIRING;
        private long seed = DEFAULT_SEED;

        private Builder() {}

        public Builder setInput(Path input) {
            this.input = Objects.requireNonNull(input, "input");
            return this;
        }

        public Builder setOutput(Path output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** How many candidates to accept per prompt; checked in {@link #build()}. */
        public Builder setN(int n) {
            this.n = n;
            return this;
        }

        /** The temperature β; checked in {@link #build()}. */
        public Builder setBeta(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder setPairing(Pairing pairing) {
            this.pairing = Objects.requireNonNull(pairing, "pairing");
            return this;
        }

        /** @throws IllegalArgumentException naming {@code pairing} when the code is unknown */
        public Builder setPairing(String code) {
            return setPairing(Pairing.fromCode(code));
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalArgumentException naming the missing or invalid field */
        public RsoOptions build() {
            if (input == null) {
                throw new IllegalArgumentException("input is required");
            }
            if (output == null) {
                throw new IllegalArgumentException("output is required");
            }
            return new RsoOptions(input, output, new RejectionSamplerConfig(n, beta), pairing, seed);
        }
    }
}
