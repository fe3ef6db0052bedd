package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.prefpipe.optimizer.loss.SequenceNllLoss;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised warm-up: maximizes log π_θ(response | prompt) per response token ({@link SequenceNllLoss}), so a fresh
 * policy produces plausible responses before preference optimization. Prompt tokens are conditioned on, not learned.
 * Per-step metrics: {@code loss} (nats per response token), {@code tokens} (response tokens of the step), {@code
 * grad_norm} and {@code learning_rate}. Ignores {@link TrainingConfig#beta()}.
 */
public final class SftTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

    private final TrainingConfig config;
    private final TrainingListener listener;

    public SftTrainer(TrainingConfig config) {
        this(config, TrainingListener.NONE);
    }

    public SftTrainer(TrainingConfig config, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Updates {@code policy} in place.
     *
     * @throws IllegalArgumentException if there are no examples or the policy is frozen
     */
    public TrainingResult train(PolicyModel policy, List<PromptResponse> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no SFT examples");
        }
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        int totalSteps = config.totalSteps(examples.size());
        LOG.info("SFT: {} examples, {} steps of {}, learning rate {}", examples.size(), totalSteps,
                Math.min(config.examplesPerStep(), examples.size()), config.learningRate());
        SequenceNllLoss loss = new SequenceNllLoss();
        BatchSampler sampler = new BatchSampler(examples.size(),
                (int) Math.min(config.examplesPerStep(), examples.size()), config.seed());
        try (OptimizationLoop loop = new OptimizationLoop(policy, config, loss)) {
            return loop.run(totalSteps, new OptimizationLoop.BatchSource() {
                @Override
                public List<OptimizationLoop.MicroBatch> next() {
                    return microBatches(policy, loss, examples, sampler.nextBatch());
                }

                @Override
                public long position() {
                    return sampler.position();
                }
            }, listener);
        }
    }

    /**
     * The step's examples in micro-batches of batchSize, each weighted by its share of the step's response tokens: the
     * loss is a mean over tokens, so these weights make the accumulated gradient that of the whole batch.
     */
    private List<OptimizationLoop.MicroBatch> microBatches(PolicyModel policy, SequenceNllLoss loss,
            List<PromptResponse> examples, int[] batch) {
        List<TokenBatch> parts = new ArrayList<>();
        for (int from = 0; from < batch.length; from += config.batchSize()) {
            parts.add(policy.encode(Arrays.stream(batch, from, Math.min(batch.length, from + config.batchSize()))
                    .mapToObj(examples::get).toList()));
        }
        double total = parts.stream().mapToDouble(SftTrainer::responseTokens).sum();
        return parts.stream().map(tokens -> new OptimizationLoop.MicroBatch(responseTokens(tokens) / total,
                (manager, trainer) -> {
                    float[] counts = new float[tokens.size()];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = tokens.responseTokens(i);
                    }
                    NDArray logProbs = policy.sequenceLogProbs(trainer, tokens.toArrays(manager));
                    NDArray value = loss.evaluate(new NDList(manager.create(counts)), new NDList(logProbs));
                    // every micro-batch reports the step's total, so the weighted mean over them is that total
                    return new OptimizationLoop.StepOutput(value, Map.of("loss", (double) value.getFloat(),
                            "tokens", total));
                })).toList();
    }

    private static double responseTokens(TokenBatch tokens) {
        double sum = 0;
        for (int i = 0; i < tokens.size(); i++) {
            sum += tokens.responseTokens(i);
        }
        return sum;
    }
}
