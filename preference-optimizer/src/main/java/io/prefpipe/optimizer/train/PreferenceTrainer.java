package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.LossOutput;
import io.prefpipe.optimizer.loss.PairLogProbs;
import io.prefpipe.optimizer.loss.PairwisePreferenceLoss;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import io.prefpipe.optimizer.model.TokenBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy on preference pairs with any {@link PairwisePreferenceLoss} (DPO, IPO, cDPO, ...) against a frozen
 * reference policy.
 *
 * <p>The reference's log-probabilities of every chosen and rejected response are computed once, before the first
 * step ({@link ReferenceLogProbs}), or read from a cache beside the data. Each micro-batch then runs one forward and
 * backward pass of the policy over its chosen and rejected responses together (2 × batchSize sequences) and hands the
 * loss a {@link PairLogProbs} of policy sums, reference sums and response lengths. Batches come from a shuffle seeded
 * by {@link TrainingConfig#seed()}: the same policy, data and config give the same losses.
 *
 * <p>Per-step metrics: the loss's own ({@code loss}, {@code rewards/chosen}, {@code rewards/rejected}, {@code
 * rewards/accuracy}, {@code rewards/margin}, {@code kl}, ...) plus {@code grad_norm} and {@code learning_rate}. With a
 * state folder ({@link Builder#setStateDir}) the run saves its {@link TrainingState} every {@link
 * TrainingConfig#checkpointEvery()} steps and after the last, and {@link #resume} continues it exactly.
 *
 * <p>Holds only settings: one instance can train several policies, one at a time (a JVM runs one gradient collector
 * at a time).
 */
public final class PreferenceTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(PreferenceTrainer.class);

    private final PairwisePreferenceLoss loss;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final Path referenceCacheDir;
    private final TrainingStateStore states;

    private PreferenceTrainer(Builder builder) {
        this.loss = builder.loss;
        this.config = builder.config;
        this.listener = builder.listener;
        this.referenceCacheDir = builder.referenceCacheDir;
        this.states = builder.stateDir == null ? null : new TrainingStateStore(builder.stateDir);
    }

    /** A trainer without listener, reference cache or saved state; see {@link #builder}. */
    public PreferenceTrainer(PairwisePreferenceLoss loss, TrainingConfig config) {
        this(builder(loss, config));
    }

    /**
     * A builder for a trainer minimizing {@code loss} with {@code config}.
     *
     * @throws IllegalArgumentException if the config's β differs from the loss's: the loss's β is the one used, and
     *     the config (recorded in checkpoints) must say the same
     */
    public static Builder builder(PairwisePreferenceLoss loss, TrainingConfig config) {
        return new Builder(loss, config);
    }

    /** The loss this trainer minimizes. */
    public PairwisePreferenceLoss loss() {
        return loss;
    }

    /**
     * The reference's log-probabilities of {@code examples}: from the reference cache folder when one is set (reused
     * when it matches, else recomputed and stored), else computed.
     */
    public ReferenceLogProbs referenceLogProbs(PolicyModel reference, List<PreferenceExample> examples) {
        if (referenceCacheDir == null) {
            return ReferenceLogProbs.score(reference, examples);
        }
        try {
            return ReferenceLogProbs.cached(referenceCacheDir, reference, examples);
        } catch (IOException e) {
            throw new UncheckedIOException("reading or writing the reference cache in " + referenceCacheDir
                    + " failed", e);
        }
    }

    /**
     * Updates {@code policy} in place, from the first step.
     *
     * @param reference the policy the loss anchors to, usually {@code policy.frozenCopy()} taken before training;
     *     must tokenize like the policy (same context length). Its log-probabilities are all taken before the first
     *     step, so passing {@code policy} itself anchors to the policy as it was at the start, without a copy
     * @throws IllegalArgumentException if there are no examples, the policy is frozen, or the context lengths differ
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, List<PreferenceExample> examples) {
        checkData(examples);
        if (policy.config().contextLength() != reference.config().contextLength()) {
            throw new IllegalArgumentException("policy contextLength " + policy.config().contextLength()
                    + " differs from reference contextLength " + reference.config().contextLength()
                    + ": they would score differently truncated sequences");
        }
        checkTrainable(policy);
        return train(policy, referenceLogProbs(reference, examples), examples);
    }

    /**
     * Updates {@code policy} in place, from the first step, against reference log-probabilities computed before.
     *
     * @throws IllegalArgumentException if there are no examples, the policy is frozen, or {@code reference} was
     *     computed for other examples
     */
    public TrainingResult train(PolicyModel policy, ReferenceLogProbs reference, List<PreferenceExample> examples) {
        return run(null, policy, reference, examples);
    }

    /**
     * Continues the run saved in {@code state} up to its last step, exactly as if it had not stopped.
     *
     * @param state a state this trainer's config and loss wrote, e.g. {@code TrainingStateStore.latest()}
     * @param policy the policy with the state's parameters: {@code PolicyModel.load(state.modelDir())}
     * @param reference the same reference log-probabilities as the interrupted run's
     * @throws IllegalArgumentException if the state was written by another config, loss, reference or data
     * @throws UncheckedIOException if the optimizer state does not load
     */
    public TrainingResult resume(TrainingState state, PolicyModel policy, ReferenceLogProbs reference,
            List<PreferenceExample> examples) {
        return run(Objects.requireNonNull(state, "state"), policy, reference, examples);
    }

    private TrainingResult run(TrainingState state, PolicyModel policy, ReferenceLogProbs reference,
            List<PreferenceExample> examples) {
        checkData(examples);
        checkTrainable(policy);
        reference.requireFor(examples);
        Map<String, String> properties = stateProperties(reference);
        if (state != null) {
            state.requireWrittenFor(properties);
        }
        int totalSteps = config.totalSteps(examples.size());
        LOG.info("{}: {} pairs, {} steps of {} pairs ({} per micro-batch), beta {}, learning rate {}{}", loss.name(),
                examples.size(), totalSteps, Math.min(config.examplesPerStep(), examples.size()),
                config.batchSize(), loss.beta(), config.learningRate(),
                state == null ? "" : ", resuming after step " + state.manifest().step());
        PairBatches batches = new PairBatches(policy, reference, examples);
        if (state != null) {
            batches.sampler.skipTo(state.manifest().batchPosition());
        }
        return OptimizationLoop.runOrResume(policy, config, totalSteps, batches, listener, state,
                states == null ? null : new OptimizationLoop.Checkpointing(states, policy::save, properties));
    }

    /** What a saved state must match to be resumed by this trainer on these data. */
    private Map<String, String> stateProperties(ReferenceLogProbs reference) {
        Map<String, String> properties = new TreeMap<>();
        properties.put("loss", loss.name());
        properties.put("loss.beta", Double.toString(loss.beta()));
        loss.parameters().forEach((k, v) -> properties.put("loss." + k, Double.toString(v)));
        properties.put("examples.sha256", reference.examplesDigest());
        properties.put("reference.sha256", reference.referenceFingerprint());
        return properties;
    }

    /** Each step: min(batchSize × accumulation, n) pairs from the sampler, cut into micro-batches of batchSize. */
    private final class PairBatches implements OptimizationLoop.BatchSource {
        private final PolicyModel policy;
        private final ReferenceLogProbs reference;
        private final List<PreferenceExample> examples;
        private final BatchSampler sampler;

        PairBatches(PolicyModel policy, ReferenceLogProbs reference, List<PreferenceExample> examples) {
            this.policy = policy;
            this.reference = reference;
            this.examples = examples;
            this.sampler = new BatchSampler(examples.size(),
                    (int) Math.min(config.examplesPerStep(), examples.size()), config.seed());
        }

        @Override
        public List<OptimizationLoop.MicroBatch> next() {
            int[] batch = sampler.nextBatch();
            List<OptimizationLoop.MicroBatch> microBatches = new ArrayList<>();
            for (int from = 0; from < batch.length; from += config.batchSize()) {
                int[] part = Arrays.copyOfRange(batch, from, Math.min(batch.length, from + config.batchSize()));
                microBatches.add(new OptimizationLoop.MicroBatch((double) part.length / batch.length,
                        (manager, trainer) -> {
                            TokenBatch tokens = policy.encode(chosenThenRejected(examples, part));
                            NDArray logProbs = policy.sequenceLogProbs(trainer, tokens.toArrays(manager));
                            int n = part.length;
                            LossOutput output = loss.compute(new PairLogProbs(
                                    logProbs.get("0:" + n), logProbs.get(n + ":"),
                                    manager.create(reference.chosen(part)), manager.create(reference.rejected(part)),
                                    manager.create(responseTokens(tokens, 0, n)),
                                    manager.create(responseTokens(tokens, n, 2 * n))));
                            return new OptimizationLoop.StepOutput(output.loss(), output.metrics());
                        }));
            }
            return microBatches;
        }

        @Override
        public long position() {
            return sampler.position();
        }
    }

    /**
     * The loss's metrics of {@code policy} against {@code reference} over all {@code examples}, without gradients;
     * e.g. before and after {@link #train} to see what training changed.
     */
    public Map<String, Double> evaluate(PolicyModel policy, ReferenceLogProbs reference,
            List<PreferenceExample> examples) {
        checkData(examples);
        reference.requireFor(examples);
        List<SequenceLogProb> chosen = policy.logProbs(responses(examples, true));
        List<SequenceLogProb> rejected = policy.logProbs(responses(examples, false));
        int[] all = new int[examples.size()];
        Arrays.setAll(all, i -> i);
        try (NDManager manager = NDManager.newBaseManager()) {
            return new LinkedHashMap<>(loss.compute(new PairLogProbs(
                    manager.create(logProbs(chosen)), manager.create(logProbs(rejected)),
                    manager.create(reference.chosen(all)), manager.create(reference.rejected(all)),
                    manager.create(tokens(chosen)), manager.create(tokens(rejected)))).metrics());
        }
    }

    /** {@link #evaluate(PolicyModel, ReferenceLogProbs, List)} scoring the reference first. */
    public Map<String, Double> evaluate(PolicyModel policy, PolicyModel reference, List<PreferenceExample> examples) {
        checkData(examples);
        return evaluate(policy, referenceLogProbs(reference, examples), examples);
    }

    private static void checkData(List<PreferenceExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no preference examples");
        }
    }

    private static void checkTrainable(PolicyModel policy) {
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
    }

    private static List<PromptResponse> responses(List<PreferenceExample> examples, boolean chosen) {
        return examples.stream().map(e -> new PromptResponse(e.prompt(), chosen ? e.chosen() : e.rejected())).toList();
    }

    private static List<PromptResponse> chosenThenRejected(List<PreferenceExample> examples, int[] batch) {
        List<PromptResponse> rows = new ArrayList<>(2 * batch.length);
        for (int i : batch) {
            rows.add(new PromptResponse(examples.get(i).prompt(), examples.get(i).chosen()));
        }
        for (int i : batch) {
            rows.add(new PromptResponse(examples.get(i).prompt(), examples.get(i).rejected()));
        }
        return rows;
    }

    private static float[] responseTokens(TokenBatch tokens, int from, int to) {
        float[] counts = new float[to - from];
        for (int i = from; i < to; i++) {
            counts[i - from] = tokens.responseTokens(i);
        }
        return counts;
    }

    private static float[] logProbs(List<SequenceLogProb> scored) {
        float[] values = new float[scored.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) scored.get(i).logProb();
        }
        return values;
    }

    private static float[] tokens(List<SequenceLogProb> scored) {
        float[] values = new float[scored.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scored.get(i).tokens();
        }
        return values;
    }

    /** Settings of a {@link PreferenceTrainer}; only the loss and the config are required. */
    public static final class Builder {
        private final PairwisePreferenceLoss loss;
        private final TrainingConfig config;
        private TrainingListener listener = TrainingListener.NONE;
        private Path referenceCacheDir;
        private Path stateDir;

        private Builder(PairwisePreferenceLoss loss, TrainingConfig config) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.config = Objects.requireNonNull(config, "config");
            if (loss.beta() != config.beta()) {
                throw new IllegalArgumentException("beta of the config " + config.beta() + " differs from beta "
                        + loss.beta() + " of the " + loss.name() + " loss; set both to the same");
            }
        }

        /** Called after every step; default none. */
        public Builder setListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Caches the reference log-probabilities in this folder, e.g. the snapshot's (see {@link
         * ReferenceLogProbs#cached}); null, the default, for no cache.
         */
        public Builder setReferenceCacheDir(Path referenceCacheDir) {
            this.referenceCacheDir = referenceCacheDir;
            return this;
        }

        /** Saves training state under this folder (see {@link TrainingStateStore}); default none. */
        public Builder setStateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        public PreferenceTrainer build() {
            return new PreferenceTrainer(this);
        }
    }
}
