package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.loss.ListLogProbs;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.LossOutput;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy on ranked lists with {@link LipoLambdaLoss} against a frozen reference policy.
 *
 * <p>The reference's log-probabilities of every response are computed once, before the first step. Each step scores
 * all responses of a batch of lists in one forward and backward pass of the policy (Σ K_i sequences) and hands the
 * loss (B, K) arrays padded to the longest list, with a mask over the real entries. Lists come from a shuffle seeded
 * by {@link TrainingConfig#seed()}: the same policy, data and config give the same losses. Per-step metrics: the
 * loss's ({@code loss}, {@code rewards/accuracy}, {@code rewards/margin}, {@code kl}) plus {@code grad_norm} and
 * {@code learning_rate}.
 */
public final class ListwiseTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ListwiseTrainer.class);

    private final LipoLambdaLoss loss;
    private final TrainingConfig config;
    private final TrainingListener listener;

    public ListwiseTrainer(LipoLambdaLoss loss, TrainingConfig config, TrainingListener listener) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Updates {@code policy} in place.
     *
     * @param reference the policy the loss anchors to, e.g. {@code policy.frozenCopy()} taken before training
     * @throws IllegalArgumentException if there are no lists, or the policy is frozen
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, List<RankedExample> lists) {
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("no ranked lists");
        }
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        int totalSteps = config.totalSteps(lists.size());
        List<PromptResponse> all = new ArrayList<>();
        int[] offsets = new int[lists.size() + 1];
        for (int l = 0; l < lists.size(); l++) {
            offsets[l] = all.size();
            for (String response : lists.get(l).responses()) {
                all.add(new PromptResponse(lists.get(l).prompt(), response));
            }
        }
        offsets[lists.size()] = all.size();
        LOG.info("LiPO-lambda: {} lists ({} responses), {} steps of {} lists, beta {}, learning rate {}",
                lists.size(), all.size(), totalSteps, Math.min(config.batchSize(), lists.size()), loss.beta(),
                config.learningRate());
        List<SequenceLogProb> referenceScores = reference.logProbs(all);
        BatchSampler sampler = new BatchSampler(lists.size(), config.batchSize(), config.seed());
        try (OptimizationLoop loop = new OptimizationLoop(policy, config)) {
            return loop.run(totalSteps, () -> {
                int[] batch = sampler.nextBatch();
                int width = 0;
                List<PromptResponse> rows = new ArrayList<>();
                for (int l : batch) {
                    width = Math.max(width, lists.get(l).size());
                    rows.addAll(all.subList(offsets[l], offsets[l + 1]));
                }
                int k = width;
                float[] referenceGrid = new float[batch.length * k];
                float[] labels = new float[batch.length * k];
                float[] mask = new float[batch.length * k];
                int[] rowOf = new int[batch.length * k];
                int row = 0;
                for (int b = 0; b < batch.length; b++) {
                    RankedExample list = lists.get(batch[b]);
                    for (int i = 0; i < list.size(); i++) {
                        int cell = b * k + i;
                        referenceGrid[cell] = (float) referenceScores.get(offsets[batch[b]] + i).logProb();
                        labels[cell] = list.labels().get(i).floatValue();
                        mask[cell] = 1;
                        rowOf[cell] = row++;
                    }
                }
                return (manager, trainer) -> {
                    NDArray scored = policy.sequenceLogProbs(trainer, policy.encode(rows).toArrays(manager));
                    // padded cells read row 0 and are masked out by the loss
                    long[] gather = new long[rowOf.length];
                    for (int c = 0; c < rowOf.length; c++) {
                        gather[c] = mask[c] > 0 ? rowOf[c] : 0;
                    }
                    Shape grid = new Shape(batch.length, k);
                    NDArray policyGrid = scored.gather(manager.create(gather), 0).reshape(grid);
                    LossOutput output = loss.compute(new ListLogProbs(policyGrid, manager.create(referenceGrid, grid),
                            manager.create(labels, grid), manager.create(mask, grid)));
                    return new OptimizationLoop.StepOutput(output.loss(), output.metrics());
                };
            }, listener);
        }
    }
}
