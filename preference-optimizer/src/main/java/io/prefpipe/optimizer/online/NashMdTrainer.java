package io.prefpipe.optimizer.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Sampling runs outside the gradient collector, so only the re-scoring pass is differentiated. Samples with no
 * response tokens to score (an empty response under the CONCATENATED format, which adds no EOS) are left out of the
 * step and counted in the {@code empty_samples} metric. Prompts come in batches of a seeded shuffle and each step
 * samples with seeds derived from the run's seed and the step, so a run reproduces from its seed.
 */
public final class NashMdTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(NashMdTrainer.class);

    private final NashMdLoss loss;
    private final TrainingConfig config;
    private final double mixtureWeight;
    private final SamplingOptions sampling;
    private final TrainingListener listener;

    /**
     * @param loss the Nash-MD loss, carrying β
     * @param config steps, batch size (prompts per step), learning rate, seed, ...
     * @param mixtureWeight m, the reference's weight in the geometric mixture, in [0, 1]
     * @param sampling how y and y' are sampled; its seed is replaced per step by one derived from {@code
     *     config.seed()}
     */
    public NashMdTrainer(NashMdLoss loss, TrainingConfig config, double mixtureWeight, SamplingOptions sampling,
            TrainingListener listener) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.config = Objects.requireNonNull(config, "config");
        if (!(mixtureWeight >= 0 && mixtureWeight <= 1)) {
            throw new IllegalArgumentException("mixtureWeight must be in [0, 1], got " + mixtureWeight);
        }
        this.mixtureWeight = mixtureWeight;
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Updates {@code policy} in place.
     *
     * @param reference the anchor policy, frozen (e.g. {@code policy.frozenCopy()} before training)
     * @param preference judges the policy's samples against the mixture's
     * @param prompts the prompts to sample for; each step draws {@code config.batchSize()} of them
     * @throws IllegalArgumentException if there are no prompts, or the policy is frozen
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, PreferenceModel preference,
            List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to sample for");
        }
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        int totalSteps = config.totalSteps(prompts.size());
        LOG.info("Nash-MD: {} prompts, {} steps of {} prompts, beta {}, mixture weight {}, learning rate {}",
                prompts.size(), totalSteps, Math.min(config.batchSize(), prompts.size()), loss.beta(), mixtureWeight,
                config.learningRate());
        BatchSampler sampler = new BatchSampler(prompts.size(), config.batchSize(), config.seed());
        int[] step = {0};
        try (OptimizationLoop loop = new OptimizationLoop(policy, config)) {
            return loop.run(totalSteps, () -> {
                step[0]++;
                List<String> batch = new ArrayList<>();
                for (int i : sampler.nextBatch()) {
                    batch.add(prompts.get(i));
                }
                return onlineStep(policy, reference, preference, batch, step[0]);
            }, listener);
        }
    }

    private OptimizationLoop.StepFunction onlineStep(PolicyModel policy, PolicyModel reference,
            PreferenceModel preference, List<String> prompts, int step) {
        long seed = config.seed() * 1_000_003L + step;
        List<Sample> own = policy.sample(prompts, withSeed(2 * seed));
        List<Sample> opponents = policy.sampleMixture(reference, mixtureWeight, prompts, withSeed(2 * seed + 1));
        List<String> kept = new ArrayList<>();
        List<int[]> promptIds = new ArrayList<>();
        List<int[]> responseIds = new ArrayList<>();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Sample y = own.get(i);
            if (policy.format().framing() == SequenceFormat.Framing.CONCATENATED && y.responseTokens().length == 0) {
                continue;
            }
            kept.add(prompts.get(i));
            promptIds.add(y.promptTokens());
            responseIds.add(y.responseTokens());
            first.add(y.text());
            second.add(opponents.get(i).text());
        }
        int empty = prompts.size() - kept.size();
        if (kept.isEmpty()) {
            throw new IllegalStateException("every sample of step " + step + " is empty; nothing to score");
        }
        float[] p = toFloats(preference.preferenceProbabilities(kept, first, second));
        TokenBatch tokens = policy.encodeIds(promptIds, responseIds);
        return (manager, trainer) -> {
            NDList arrays = tokens.toArrays(manager);
            NDArray policyTokens = policy.tokenLogProbs(trainer, arrays);
            NDArray referenceTokens = reference.tokenLogProbs(arrays);
            LossOutput output = loss.compute(new SampleLogProbs(policyTokens, referenceTokens, arrays.get(2),
                    manager.create(p)));
            Map<String, Double> metrics = new LinkedHashMap<>(output.metrics());
            metrics.put("empty_samples", (double) empty);
            return new OptimizationLoop.StepOutput(output.loss(), metrics);
        };
    }

    private SamplingOptions withSeed(long seed) {
        return new SamplingOptions(sampling.maxNewTokens(), sampling.temperature(), sampling.topK(), sampling.topP(),
                seed);
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
