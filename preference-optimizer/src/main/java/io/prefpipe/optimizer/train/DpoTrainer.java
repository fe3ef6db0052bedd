package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.loss.DpoMetrics;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy on preference pairs with {@link DpoLoss} against a frozen reference policy.
 *
 * <p>The reference never changes, so its log-probabilities of every chosen and rejected response are computed once,
 * before the first step; each step then runs one forward and backward pass of the policy over the batch's chosen and
 * rejected responses together (2 × batchSize sequences). Batches come from a shuffle seeded by {@link
 * TrainingConfig#seed()}: the same policy, data and config give the same losses.
 *
 * <p>Per-step metrics: {@code loss}, {@code rewards/chosen}, {@code rewards/rejected}, {@code rewards/accuracy},
 * {@code rewards/margin} (see {@link DpoMetrics}) and {@code grad_norm}. Holds only hyperparameters: one instance can
 * train several policies, one at a time (a JVM runs one gradient collector at a time).
 */
public final class DpoTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DpoTrainer.class);

    private final TrainingConfig config;
    private final TrainingListener listener;

    public DpoTrainer(TrainingConfig config) {
        this(config, TrainingListener.NONE);
    }

    public DpoTrainer(TrainingConfig config, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Updates {@code policy} in place.
     *
     * @param reference the policy the KL penalty anchors to, usually {@code policy.frozenCopy()} taken before training;
     *     must tokenize like the policy (same context length). Its log-probabilities are all taken before the first
     *     step, so passing {@code policy} itself anchors to the policy as it was at the start, without a copy
     * @throws IllegalArgumentException if there are no examples, the policy is frozen, or the context lengths differ
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, List<PreferenceExample> examples) {
        check(policy, reference, examples);
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        int totalSteps = config.totalSteps(examples.size());
        LOG.info("DPO: {} pairs, {} steps of {} pairs, beta {}, learning rate {}", examples.size(), totalSteps,
                Math.min(config.batchSize(), examples.size()), config.beta(), config.learningRate());
        long start = System.nanoTime();
        float[] refChosen = logProbs(reference, examples, true);
        float[] refRejected = logProbs(reference, examples, false);
        LOG.info("reference log-probabilities of {} responses in {} ms", 2 * examples.size(),
                (System.nanoTime() - start) / 1_000_000);

        DpoLoss loss = new DpoLoss(config.beta());
        BatchSampler sampler = new BatchSampler(examples.size(), config.batchSize(), config.seed());
        try (OptimizationLoop loop = new OptimizationLoop(policy, config, loss)) {
            return loop.run(totalSteps, () -> {
                int[] batch = sampler.nextBatch();
                return (manager, trainer) -> {
                    NDList arrays = policy.encode(chosenThenRejected(examples, batch)).toArrays(manager);
                    NDArray logProbs = policy.sequenceLogProbs(trainer, arrays);
                    DpoLoss.Output output = loss.compute(
                            logProbs.get("0:" + batch.length), logProbs.get(batch.length + ":"),
                            manager.create(gather(refChosen, batch)), manager.create(gather(refRejected, batch)));
                    return new OptimizationLoop.StepOutput(output.loss(), output.metrics().asMap());
                };
            }, listener);
        }
    }

    /**
     * The DPO loss and reward statistics of {@code policy} against {@code reference} over all {@code examples},
     * without gradients; e.g. before and after {@link #train} to see what training changed.
     */
    public DpoMetrics evaluate(PolicyModel policy, PolicyModel reference, List<PreferenceExample> examples) {
        check(policy, reference, examples);
        try (NDManager manager = NDManager.newBaseManager()) {
            return new DpoLoss(config.beta()).compute(
                    manager.create(logProbs(policy, examples, true)), manager.create(logProbs(policy, examples, false)),
                    manager.create(logProbs(reference, examples, true)),
                    manager.create(logProbs(reference, examples, false))).metrics();
        }
    }

    private static void check(PolicyModel policy, PolicyModel reference, List<PreferenceExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no preference examples");
        }
        if (policy.config().contextLength() != reference.config().contextLength()) {
            throw new IllegalArgumentException("policy contextLength " + policy.config().contextLength()
                    + " differs from reference contextLength " + reference.config().contextLength()
                    + ": they would score differently truncated sequences");
        }
    }

    private static float[] logProbs(PolicyModel model, List<PreferenceExample> examples, boolean chosen) {
        List<SequenceLogProb> scored = model.logProbs(examples.stream()
                .map(e -> new PromptResponse(e.prompt(), chosen ? e.chosen() : e.rejected()))
                .toList());
        float[] values = new float[scored.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) scored.get(i).logProb();
        }
        return values;
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

    private static float[] gather(float[] values, int[] indices) {
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }
}
