package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.internal.Digests;
import io.prefpipe.optimizer.loss.ListLogProbs;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.LossOutput;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy on ranked lists with {@link LipoLambdaLoss} against a frozen reference policy.
 *
 * <p>The reference's log-probabilities of every response are computed once, before the first step. A step draws
 * {@link TrainingConfig#examplesPerStep()} lists and cuts them into micro-batches of {@link TrainingConfig#batchSize()}
 * lists (gradient accumulation, each weighted by its share of the step's lists, as the loss is a mean over lists);
 * each micro-batch scores all its responses in one forward and backward pass of the policy (Σ K_i sequences) and
 * hands the loss (B, K) arrays padded to the longest list, with a mask over the real entries. Lists come from a
 * shuffle seeded by {@link TrainingConfig#seed()}: the same policy, data and config give the same losses. With a
 * state folder ({@link Builder#setStateDir}) the run saves its {@link TrainingState} every {@link
 * TrainingConfig#checkpointEvery()} steps and after the last, and {@link #resume} continues it exactly. Per-step
 * metrics: the loss's ({@code loss}, {@code rewards/accuracy}, {@code rewards/margin}, {@code kl}) plus {@code
 * grad_norm} and {@code learning_rate}.
 */
public final class ListwiseTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ListwiseTrainer.class);

    private final LipoLambdaLoss loss;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final TrainingStateStore states;

    private ListwiseTrainer(Builder builder) {
        this.loss = builder.loss;
        this.config = builder.config;
        this.listener = builder.listener;
        this.states = builder.stateDir == null ? null : new TrainingStateStore(builder.stateDir);
    }

    /** A trainer reporting to {@code listener}, without saved state; see {@link #builder}. */
    public ListwiseTrainer(LipoLambdaLoss loss, TrainingConfig config, TrainingListener listener) {
        this(builder(loss, config).setListener(listener));
    }

    /** A builder for a trainer minimizing {@code loss} with {@code config}. */
    public static Builder builder(LipoLambdaLoss loss, TrainingConfig config) {
        return new Builder(loss, config);
    }

    /**
     * Updates {@code policy} in place, from the first step.
     *
     * @param reference the policy the loss anchors to, e.g. {@code policy.frozenCopy()} taken before training
     * @throws IllegalArgumentException if there are no lists, or the policy is frozen
     */
    public TrainingResult train(PolicyModel policy, PolicyModel reference, List<RankedExample> lists) {
        return run(null, policy, reference, lists);
    }

    /**
     * Continues the run saved in {@code state} up to its last step, exactly as if it had not stopped.
     *
     * @param state a state this trainer's settings wrote, e.g. {@code TrainingStateStore.latest()}
     * @param policy the policy with the state's parameters: {@code PolicyModel.load(state.modelDir())}
     * @param reference the same reference as the interrupted run's
     * @throws IllegalArgumentException if the state was written by other settings, another reference or lists
     * @throws UncheckedIOException if the optimizer state does not load
     */
    public TrainingResult resume(TrainingState state, PolicyModel policy, PolicyModel reference,
            List<RankedExample> lists) {
        return run(Objects.requireNonNull(state, "state"), policy, reference, lists);
    }

    private TrainingResult run(TrainingState state, PolicyModel policy, PolicyModel reference,
            List<RankedExample> lists) {
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("no ranked lists");
        }
        if (policy.isFrozen()) {
            throw new IllegalArgumentException("the policy to train is frozen; pass the original, not a frozenCopy()");
        }
        Map<String, String> properties = stateProperties(reference, lists);
        if (state != null) {
            state.requireWrittenFor(properties);
        }
        int totalSteps = config.totalSteps(lists.size());
        ListBatches batches = new ListBatches(policy, reference, lists);
        LOG.info("LiPO-lambda: {} lists ({} responses), {} steps of {} lists ({} per micro-batch), beta {}, learning"
                + " rate {}{}", lists.size(), batches.all.size(), totalSteps,
                Math.min(config.examplesPerStep(), lists.size()), config.batchSize(), loss.beta(),
                config.learningRate(), state == null ? "" : ", resuming after step " + state.manifest().step());
        if (state != null) {
            batches.sampler.skipTo(state.manifest().batchPosition());
        }
        return OptimizationLoop.runOrResume(policy, config, totalSteps, batches, listener, state,
                states == null ? null : new OptimizationLoop.Checkpointing(states, policy::save, properties));
    }

    /** What a saved state must match to be resumed by this trainer on these lists. */
    private Map<String, String> stateProperties(PolicyModel reference, List<RankedExample> lists) {
        Map<String, String> properties = new TreeMap<>();
        properties.put("loss", LipoLambdaLoss.NAME);
        properties.put("loss.beta", Double.toString(loss.beta()));
        List<String> fields = new ArrayList<>();
        for (RankedExample list : lists) {
            fields.add(list.listId());
            fields.add(list.prompt());
            fields.addAll(list.responses());
            fields.add(list.labels().toString());
        }
        properties.put("lists.sha256", Digests.sha256(fields));
        properties.put("reference.sha256", ReferenceLogProbs.fingerprint(reference));
        return properties;
    }

    /** Each step: min(batchSize × accumulation, n) lists from the sampler, cut into micro-batches of batchSize. */
    private final class ListBatches implements OptimizationLoop.BatchSource {
        private final PolicyModel policy;
        private final List<RankedExample> lists;
        private final List<PromptResponse> all = new ArrayList<>();
        private final int[] offsets;
        private final List<SequenceLogProb> referenceScores;
        private final BatchSampler sampler;

        ListBatches(PolicyModel policy, PolicyModel reference, List<RankedExample> lists) {
            this.policy = policy;
            this.lists = lists;
            offsets = new int[lists.size() + 1];
            for (int l = 0; l < lists.size(); l++) {
                offsets[l] = all.size();
                for (String response : lists.get(l).responses()) {
                    all.add(new PromptResponse(lists.get(l).prompt(), response));
                }
            }
            offsets[lists.size()] = all.size();
            referenceScores = reference.logProbs(all);
            sampler = new BatchSampler(lists.size(), (int) Math.min(config.examplesPerStep(), lists.size()),
                    config.seed());
        }

        @Override
        public List<OptimizationLoop.MicroBatch> next() {
            int[] batch = sampler.nextBatch();
            List<OptimizationLoop.MicroBatch> microBatches = new ArrayList<>();
            for (int from = 0; from < batch.length; from += config.batchSize()) {
                int[] part = Arrays.copyOfRange(batch, from, Math.min(batch.length, from + config.batchSize()));
                microBatches.add(new OptimizationLoop.MicroBatch((double) part.length / batch.length,
                        microBatch(part)));
            }
            return microBatches;
        }

        @Override
        public long position() {
            return sampler.position();
        }

        private OptimizationLoop.StepFunction microBatch(int[] batch) {
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
        }
    }

    /** Settings of a {@link ListwiseTrainer}; only the loss and the config are required. */
    public static final class Builder {
        private final LipoLambdaLoss loss;
        private final TrainingConfig config;
        private TrainingListener listener = TrainingListener.NONE;
        private Path stateDir;

        private Builder(LipoLambdaLoss loss, TrainingConfig config) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.config = Objects.requireNonNull(config, "config");
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

        public ListwiseTrainer build() {
            return new ListwiseTrainer(this);
        }
    }
}
