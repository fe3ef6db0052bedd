package io.prefpipe.optimizer.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.prefpipe.optimizer.internal.Digests;
import io.prefpipe.optimizer.loss.LossOutput;
import io.prefpipe.optimizer.loss.NashMdLoss;
import io.prefpipe.optimizer.loss.SampleLogProbs;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.SequenceFormat;
import io.prefpipe.optimizer.model.TokenBatch;
import io.prefpipe.optimizer.model.sampling.Sample;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.train.BatchSampler;
import io.prefpipe.optimizer.train.OptimizationLoop;
import io.prefpipe.optimizer.train.ReferenceLogProbs;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.optimizer.train.TrainingState;
import io.prefpipe.optimizer.train.TrainingStateStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online Nash-MD (Munos et al., 2023, "Nash Learning from Human Feedback"): at every step, for a batch of prompts,
 *
 * <ol>
 *   <li>samples y ~ π_θ and y' from the per-token geometric mixture π_m ∝ π_ref^m · π_θ^(1−m) ({@link
 *       PolicyModel#sampleMixture});
 *   <li>asks the preference model for P(y ≻ y' | x);
 *   <li>scores y's tokens under π_θ (with gradient) and π_ref, and descends {@link NashMdLoss}.
 * </ol>
 *
 * Sampling runs outside the gradient collector, so only the re-scoring pass is differentiated. A step draws {@link
 * TrainingConfig#examplesPerStep()} prompts and samples them all with the parameters the step starts from, in
 * micro-batches of {@link TrainingConfig#batchSize()} (gradient accumulation: each weighted by its share of the step's
 * samples, as the loss is a mean over samples). Samples with no response tokens to score (an empty response under the
 * CONCATENATED format, which adds no EOS) are left out of the step and counted in the {@code empty_samples} metric.
 * Prompts come in batches of a seeded shuffle and each micro-batch samples with a seed derived from the run's seed,
 * the step and its index, so a run reproduces from its seed, and with a state folder ({@link Builder#setStateDir})
 * {@link #resume} continues a saved run exactly.
 *
 * <p>Holds only settings: one instance can train several policies, one at a time.
 */
public final class NashMdTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(NashMdTrainer.class);

    private final NashMdLoss loss;
    private final TrainingConfig config;
    private final double mixtureWeight;
    private final SamplingOptions sampling;
    private final TrainingListener listener;
    private final TrainingStateStore states;

    private NashMdTrainer(Builder builder) {
        this.loss = builder.loss;
        this.config = builder.config;
        this.mixtureWeight = builder.mixtureWeight;
        this.sampling = builder.sampling;
        this.listener = builder.listener;
        this.states = builder.stateDir == null ? null : new TrainingStateStore(builder.stateDir);
    }

    /**
     * A builder for a trainer minimizing {@code loss} with {@code config}, sampling as {@code sampling} says (its seed
     * is replaced per micro-batch by one derived from {@code config.seed()}).
     *
     * @throws IllegalArgumentException if the config's β differs from the loss's
     */
    public static Builder builder(NashMdLoss loss, TrainingConfig config, SamplingOptions sampling) {
        return new Builder(loss, config, sampling);
    }

    /**
     * Updates {@code policy} in place, from the first step.
     *
     * @param reference the anchor policy, frozen (e.g. {@code policy.frozenCopy()} before training)
     * @param preference judges the policy's samples against the mixture's
     * @param prompts the prompts to sample for
     * @throws IllegalArgumentException if there are no prompts, or the policy is frozen
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, PreferenceModel preference,
            List<String> prompts) {
        return run(null, policy, reference, preference, prompts);
    }

    /**
     * Continues the run saved in {@code state} up to its last step, exactly as if it had not stopped.
     *
     * @param state a state this trainer's settings wrote, e.g. {@code TrainingStateStore.latest()}
     * @param policy the policy with the state's parameters: {@code PolicyModel.load(state.modelDir())}
     * @param reference the same reference as the interrupted run's
     * @throws IllegalArgumentException if the state was written by other settings, another reference or prompts
     * @throws UncheckedIOException if the optimizer state does not load
     */
    public TrainingResult resume(TrainingState state, PolicyModel policy, PolicyModel reference,
            PreferenceModel preference, List<String> prompts) {
        return run(Objects.requireNonNull(state, "state"), policy, reference, preference, prompts);
    }

    private TrainingResult run(TrainingState state, PolicyModel policy, PolicyModel reference,
            PreferenceModel preference, List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to sample for");
        }
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        Map<String, String> properties = stateProperties(reference, prompts);
        if (state != null) {
            state.requireWrittenFor(properties);
        }
        int totalSteps = config.totalSteps(prompts.size());
        LOG.info("Nash-MD: {} prompts, {} steps of {} prompts ({} per micro-batch), beta {}, mixture weight {},"
                + " learning rate {}{}", prompts.size(), totalSteps, Math.min(config.examplesPerStep(), prompts.size()),
                config.batchSize(), loss.beta(), mixtureWeight, config.learningRate(),
                state == null ? "" : ", resuming after step " + state.manifest().step());
        OnlineBatches batches = new OnlineBatches(policy, reference, preference, prompts);
        if (state != null) {
            batches.sampler.skipTo(state.manifest().batchPosition());
            batches.step = state.manifest().step();
        }
        return OptimizationLoop.runOrResume(policy, config, totalSteps, batches, listener, state,
                states == null ? null : new OptimizationLoop.Checkpointing(states, policy::save, properties));
    }

    /** What a saved state must match to be resumed by this trainer. */
    private Map<String, String> stateProperties(PolicyModel reference, List<String> prompts) {
        Map<String, String> properties = new TreeMap<>();
        properties.put("loss", NashMdLoss.NAME);
        properties.put("loss.beta", Double.toString(loss.beta()));
        properties.put("mixture", Double.toString(mixtureWeight));
        properties.put("sampling", sampling.withSeed(0).toString());
        properties.put("prompts.sha256", Digests.sha256(prompts));
        properties.put("reference.sha256", ReferenceLogProbs.fingerprint(reference));
        return properties;
    }

    /**
     * Each step: min(batchSize × accumulation, n) prompts from the sampler, sampled in micro-batches of batchSize
     * before the step's first backward pass.
     */
    private final class OnlineBatches implements OptimizationLoop.BatchSource {
        private final PolicyModel policy;
        private final PolicyModel reference;
        private final PreferenceModel preference;
        private final List<String> prompts;
        private final BatchSampler sampler;
        private int step;

        OnlineBatches(PolicyModel policy, PolicyModel reference, PreferenceModel preference, List<String> prompts) {
            this.policy = policy;
            this.reference = reference;
            this.preference = preference;
            this.prompts = prompts;
            this.sampler = new BatchSampler(prompts.size(), (int) Math.min(config.examplesPerStep(), prompts.size()),
                    config.seed());
        }

        @Override
        public List<OptimizationLoop.MicroBatch> next() {
            step++;
            int[] batch = sampler.nextBatch();
            List<ScoredSamples> parts = new ArrayList<>();
            int kept = 0;
            for (int from = 0, part = 0; from < batch.length; from += config.batchSize(), part++) {
                List<String> partPrompts = new ArrayList<>();
                for (int i = from; i < Math.min(batch.length, from + config.batchSize()); i++) {
                    partPrompts.add(prompts.get(batch[i]));
                }
                ScoredSamples samples = sample(partPrompts, config.seed() * 1_000_003L + step, part);
                parts.add(samples);
                kept += samples.kept();
            }
            if (kept == 0) {
                throw new IllegalStateException("every sample of step " + step + " is empty; nothing to score");
            }
            int empty = batch.length - kept;
            List<OptimizationLoop.MicroBatch> microBatches = new ArrayList<>();
            for (ScoredSamples part : parts) {
                if (part.kept() > 0) {
                    microBatches.add(new OptimizationLoop.MicroBatch((double) part.kept() / kept,
                            scoring(part, empty)));
                }
            }
            return microBatches;
        }

        @Override
        public long position() {
            return sampler.position();
        }

        /** Samples y and y' for the prompts with seeds derived from the step's seed and the part's index. */
        private ScoredSamples sample(List<String> partPrompts, long stepSeed, int part) {
            long seed = 31 * stepSeed + part;
            List<Sample> own = policy.sample(partPrompts, sampling.withSeed(2 * seed));
            List<Sample> opponents = policy.sampleMixture(reference, mixtureWeight, partPrompts,
                    sampling.withSeed(2 * seed + 1));
            List<String> kept = new ArrayList<>();
            List<int[]> promptIds = new ArrayList<>();
            List<int[]> responseIds = new ArrayList<>();
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            for (int i = 0; i < partPrompts.size(); i++) {
                Sample y = own.get(i);
                if (policy.format().framing() == SequenceFormat.Framing.CONCATENATED
                        && y.responseTokens().length == 0) {
                    continue;
                }
                kept.add(partPrompts.get(i));
                promptIds.add(y.promptTokens());
                responseIds.add(y.responseTokens());
                first.add(y.text());
                second.add(opponents.get(i).text());
            }
            if (kept.isEmpty()) {
                return new ScoredSamples(null, null, 0);
            }
            float[] p = toFloats(preference.preferenceProbabilities(kept, first, second));
            return new ScoredSamples(policy.encodeIds(promptIds, responseIds), p, kept.size());
        }

        /** The loss of one micro-batch's kept samples, re-scored under the policy (with gradient) and reference. */
        private OptimizationLoop.StepFunction scoring(ScoredSamples samples, int emptyInStep) {
            return (manager, trainer) -> {
                NDList arrays = samples.tokens().toArrays(manager);
                NDArray policyTokens = policy.tokenLogProbs(trainer, arrays);
                NDArray referenceTokens = reference.tokenLogProbs(arrays);
                LossOutput output = loss.compute(new SampleLogProbs(policyTokens, referenceTokens, arrays.get(2),
                        manager.create(samples.preferences())));
                Map<String, Double> metrics = new LinkedHashMap<>(output.metrics());
                metrics.put("empty_samples", (double) emptyInStep);
                return new OptimizationLoop.StepOutput(output.loss(), metrics);
            };
        }
    }

    /** The kept samples of one micro-batch, tokenized, with their preference probabilities. */
    private record ScoredSamples(TokenBatch tokens, float[] preferences, int kept) {}

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** Settings of a {@link NashMdTrainer}; the loss, the config and the sampling options are required. */
    public static final class Builder {
        private final NashMdLoss loss;
        private final TrainingConfig config;
        private final SamplingOptions sampling;
        private double mixtureWeight = PolicyModel.DEFAULT_MIXTURE_WEIGHT;
        private TrainingListener listener = TrainingListener.NONE;
        private Path stateDir;

        private Builder(NashMdLoss loss, TrainingConfig config, SamplingOptions sampling) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.config = Objects.requireNonNull(config, "config");
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            if (loss.beta() != config.beta()) {
                throw new IllegalArgumentException("beta of the config " + config.beta() + " differs from beta "
                        + loss.beta() + " of the Nash-MD loss; set both to the same");
            }
        }

        /** m, the reference's weight in the geometric mixture, in [0, 1]; default {@value
         * PolicyModel#DEFAULT_MIXTURE_WEIGHT}. */
        public Builder setMixtureWeight(double mixtureWeight) {
            if (!(mixtureWeight >= 0 && mixtureWeight <= 1)) {
                throw new IllegalArgumentException("mixtureWeight must be in [0, 1], got " + mixtureWeight);
            }
            this.mixtureWeight = mixtureWeight;
            return this;
        }

        /** Called after every step; default none. */
        public Builder setListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Saves training state under this folder (see {@link TrainingStateStore}); default none. */
        public Builder setStateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        public NashMdTrainer build() {
            return new NashMdTrainer(this);
        }
    }
}
