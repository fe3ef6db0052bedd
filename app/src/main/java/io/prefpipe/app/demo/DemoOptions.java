package io.prefpipe.app.demo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the demo runs. Build with {@link #builder()}; every setting has a default sized to finish in a few minutes on
 * two cores.
 *
 * @param seed seeds the synthetic world's feedback, the policy's initialisation, training and sampling
 * @param out folder for snapshots, checkpoints and the summary
 * @param bootstrap an external Kafka cluster to use, or {@code null} to start an embedded broker
 * @param comparisons synthetic comparisons
 * @param judgements synthetic judgements over them
 * @param annotators simulated annotators
 * @param redeliveryRate share of judgements delivered twice
 * @param malformedRate share of judgements followed by a malformed event
 * @param jsonShare share of events sent as JSON to the JSON feedback topic by a plain Kafka client, the rest as Avro
 * @param aggregator the label aggregator of the curation job
 * @param emitAfterVotes votes after which a comparison is decided without waiting for its window to close
 * @param sftSteps supervised warm-up steps
 * @param dpoSteps DPO steps
 * @param batchSize pairs (DPO) or sequences (warm-up) per step
 * @param sftLearningRate AdamW learning rate of the warm-up
 * @param dpoLearningRate AdamW learning rate of DPO
 * @param beta the DPO β
 * @param evalSamplesPerPrompt responses sampled per held-out prompt and model when scoring the policy
 * @param evalTemperature sampling temperature when scoring the policy
 * @param dashboardPort port of the data-quality dashboard served on 127.0.0.1 while the demo runs, 0 for a free one;
 *     null for no dashboard
 */
public record DemoOptions(
        long seed,
        Path out,
        String bootstrap,
        int comparisons,
        int judgements,
        int annotators,
        double redeliveryRate,
        double malformedRate,
        double jsonShare,
        String aggregator,
        int emitAfterVotes,
        int sftSteps,
        int dpoSteps,
        int batchSize,
        double sftLearningRate,
        double dpoLearningRate,
        double beta,
        int evalSamplesPerPrompt,
        double evalTemperature,
        Integer dashboardPort) {

    public DemoOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(aggregator, "aggregator");
        positive(comparisons, "comparisons");
        positive(judgements, "judgements");
        positive(annotators, "annotators");
        positive(emitAfterVotes, "emitAfterVotes");
        positive(sftSteps, "sftSteps");
        positive(dpoSteps, "dpoSteps");
        positive(batchSize, "batchSize");
        positive(evalSamplesPerPrompt, "evalSamplesPerPrompt");
        if (!(jsonShare >= 0 && jsonShare <= 1)) {
            throw new IllegalArgumentException("jsonShare must be in [0, 1], got " + jsonShare);
        }
        if (!(sftLearningRate > 0)) {
            throw new IllegalArgumentException("sftLearningRate must be > 0, got " + sftLearningRate);
        }
        if (!(dpoLearningRate > 0)) {
            throw new IllegalArgumentException("dpoLearningRate must be > 0, got " + dpoLearningRate);
        }
        if (!(evalTemperature > 0)) {
            throw new IllegalArgumentException("evalTemperature must be > 0, got " + evalTemperature);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be > 0, got " + beta);
        }
        if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65_535)) {
            throw new IllegalArgumentException("dashboardPort must be in [0, 65535], got " + dashboardPort);
        }
    }

    private static void positive(int v, String field) {
        if (v < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + v);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link DemoOptions}; all settings optional. */
    public static final class Builder {
        private long seed = 42;
        private Path out = Path.of("prefpipe-out");
        private String bootstrap;
        private int comparisons = 5_000;
        private int judgements = 20_000;
        private int annotators = 20;
        private double redeliveryRate = 0.01;
        private double malformedRate = 0.005;
        private double jsonShare = 0.1;
        private String aggregator = "ds";
        private int emitAfterVotes = 100;
        private int sftSteps = 2000;
        private int dpoSteps = 600;
        private int batchSize = 16;
        private double sftLearningRate = 2e-3;
        private double dpoLearningRate = 1e-4;
        // The library's default β is 0.1; this tiny byte-level policy drifts into misspelled words at that β within a
        // few hundred steps, and 0.5 keeps it close enough to the reference to turn preferences into true reward.
        private double beta = 0.5;
        private int evalSamplesPerPrompt = 8;
        private double evalTemperature = 0.7;
        private Integer dashboardPort = 0;

        private Builder() {}

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder setOut(Path out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        public Builder setBootstrap(String bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        public Builder setComparisons(int comparisons) {
            this.comparisons = comparisons;
            return this;
        }

        public Builder setJudgements(int judgements) {
            this.judgements = judgements;
            return this;
        }

        public Builder setAnnotators(int annotators) {
            this.annotators = annotators;
            return this;
        }

        public Builder setRedeliveryRate(double redeliveryRate) {
            this.redeliveryRate = redeliveryRate;
            return this;
        }

        public Builder setMalformedRate(double malformedRate) {
            this.malformedRate = malformedRate;
            return this;
        }

        public Builder setJsonShare(double jsonShare) {
            this.jsonShare = jsonShare;
            return this;
        }

        public Builder setAggregator(String aggregator) {
            this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
            return this;
        }

        public Builder setEmitAfterVotes(int emitAfterVotes) {
            this.emitAfterVotes = emitAfterVotes;
            return this;
        }

        public Builder setSftSteps(int sftSteps) {
            this.sftSteps = sftSteps;
            return this;
        }

        public Builder setDpoSteps(int dpoSteps) {
            this.dpoSteps = dpoSteps;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder setSftLearningRate(double sftLearningRate) {
            this.sftLearningRate = sftLearningRate;
            return this;
        }

        public Builder setDpoLearningRate(double dpoLearningRate) {
            this.dpoLearningRate = dpoLearningRate;
            return this;
        }

        public Builder setBeta(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder setEvalSamplesPerPrompt(int evalSamplesPerPrompt) {
            this.evalSamplesPerPrompt = evalSamplesPerPrompt;
            return this;
        }

        public Builder setEvalTemperature(double evalTemperature) {
            this.evalTemperature = evalTemperature;
            return this;
        }

        /** The dashboard's port, 0 (the default) for a free one, null for no dashboard. */
        public Builder setDashboardPort(Integer dashboardPort) {
            this.dashboardPort = dashboardPort;
            return this;
        }

        public DemoOptions build() {
            return new DemoOptions(seed, out, bootstrap, comparisons, judgements, annotators, redeliveryRate,
                    malformedRate, jsonShare, aggregator, emitAfterVotes, sftSteps, dpoSteps, batchSize, sftLearningRate, dpoLearningRate, beta, evalSamplesPerPrompt,
                    evalTemperature, dashboardPort);
        }
    }
}
