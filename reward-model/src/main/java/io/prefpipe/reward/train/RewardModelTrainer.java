package io.prefpipe.reward.train;

import ai.djl.ndarray.NDArray;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.BatchSampler;
import io.prefpipe.optimizer.train.OptimizationLoop;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.reward.loss.BradleyTerryLoss;
import io.prefpipe.reward.loss.PairwiseMetrics;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.model.TrainingRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link RewardModel} on preference pairs with the {@link BradleyTerryLoss}: holds out a seeded fraction of
 * the pairs ({@link HeldOutSplit}), runs the {@link OptimizationLoop} (AdamW with its learning-rate schedule, gradient
 * clipping and accumulation, seeded batch order) over the rest, the chosen and rejected responses of a micro-batch in
 * one forward pass, then measures pairwise accuracy and Bradley-Terry loss on both parts and records the run in the
 * model's {@link RewardModel#info()}.
 *
 * <p>Per-step metrics: {@code loss}, {@code accuracy}, {@code margin} (see {@link BradleyTerryLoss#compute}),
 * {@code grad_norm} and {@code learning_rate}. {@link PreferenceExample#pChosen()} is not used: every pair counts as a
 * certain preference. Holds only settings: one instance can train several models, one at a time.
 */
public final class RewardModelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(RewardModelTrainer.class);

    private final RewardTrainingConfig config;
    private final TrainingListener listener;

    public RewardModelTrainer(RewardTrainingConfig config) {
        this(config, TrainingListener.NONE);
    }

    public RewardModelTrainer(RewardTrainingConfig config, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** As {@link #train(RewardModel, List, String)} with the source {@code unnamed}. */
    public RewardTrainingResult train(RewardModel model, List<PreferenceExample> examples) {
        return train(model, examples, "unnamed");
    }

    /**
     * Updates {@code model} in place and adds the run to its {@link RewardModel#info()}.
     *
     * @param source what the pairs are, recorded with the run, e.g. {@code snapshot snap-0003}
     * @throws IllegalArgumentException if there are no examples, or too few to hold out the configured fraction
     */
    public RewardTrainingResult train(RewardModel model, List<PreferenceExample> examples, String source) {
        Objects.requireNonNull(source, "source");
        HeldOutSplit split = HeldOutSplit.of(examples, config.heldOutFraction(), config.splitSeed());
        List<PreferenceExample> train = split.train();
        int totalSteps = config.training().totalSteps(train.size());
        LOG.info("reward model: {} pairs ({} held out), {} steps of {} pairs, learning rate {}", examples.size(),
                split.heldOut().size(), totalSteps, Math.min(config.training().examplesPerStep(), train.size()),
                config.training().learningRate());
        BradleyTerryLoss loss = new BradleyTerryLoss(config.centering());
        BatchSampler sampler = new BatchSampler(train.size(),
                (int) Math.min(config.training().examplesPerStep(), train.size()), config.training().seed());
        TrainingResult run;
        try (OptimizationLoop loop = new OptimizationLoop(model, config.training(), loss)) {
            run = loop.run(totalSteps, new OptimizationLoop.BatchSource() {
                @Override
                public List<OptimizationLoop.MicroBatch> next() {
                    return microBatches(model, loss, train, sampler.nextBatch());
                }

                @Override
                public long position() {
                    return sampler.position();
                }
            }, listener);
        }
        PairwiseMetrics trainMetrics = evaluate(model, train);
        PairwiseMetrics heldOutMetrics = split.heldOut().isEmpty() ? null : evaluate(model, split.heldOut());
        LOG.info("reward model: train accuracy {} loss {}; held-out {}", format(trainMetrics.accuracy()),
                format(trainMetrics.loss()), heldOutMetrics == null ? "none"
                        : "accuracy " + format(heldOutMetrics.accuracy()) + " loss " + format(heldOutMetrics.loss()));
        model.recordTraining(new TrainingRecord(Instant.now(), source, examples.size(), sha256(examples),
                split.heldOut().size(), config.splitSeed(), config.centering(), config.training(), run.steps(),
                run.duration().toNanos() / 1e9, trainMetrics, heldOutMetrics));
        return new RewardTrainingResult(run, trainMetrics, heldOutMetrics);
    }

    /**
     * Pairwise accuracy, Bradley-Terry loss and mean margin of {@code model} over {@code examples}, without gradients.
     *
     * @throws IllegalArgumentException if there are no examples
     */
    public static PairwiseMetrics evaluate(RewardModel model, List<PreferenceExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no preference examples");
        }
        int n = examples.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] scores = model.score(chosenThenRejected(examples, all));
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        System.arraycopy(scores, 0, chosen, 0, n);
        System.arraycopy(scores, n, rejected, 0, n);
        return PairwiseMetrics.of(chosen, rejected);
    }

    /**
     * The step's pairs in micro-batches of at most {@code batchSize}, each weighted by its share of the pairs: the
     * loss is a mean over pairs, so the weighted sum of the micro-batch gradients is the gradient of the whole step.
     */
    private List<OptimizationLoop.MicroBatch> microBatches(RewardModel model, BradleyTerryLoss loss,
            List<PreferenceExample> train, int[] batch) {
        List<OptimizationLoop.MicroBatch> parts = new ArrayList<>();
        for (int from = 0; from < batch.length; from += config.training().batchSize()) {
            int[] part = Arrays.copyOfRange(batch, from, Math.min(batch.length, from + config.training().batchSize()));
            parts.add(new OptimizationLoop.MicroBatch((double) part.length / batch.length, (manager, trainer) -> {
                NDArray rewards = model.rewards(trainer, manager, chosenThenRejected(train, part));
                BradleyTerryLoss.Output output = loss.compute(
                        rewards.get("0:" + part.length), rewards.get(part.length + ":"));
                return new OptimizationLoop.StepOutput(output.loss(), output.metrics());
            }));
        }
        return parts;
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

    /** SHA-256 over each pair's id and texts, every string length-prefixed so that boundaries cannot shift. */
    private static String sha256(List<PreferenceExample> examples) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        for (PreferenceExample e : examples) {
            for (String field : List.of(e.pairId(), e.prompt(), e.chosen(), e.rejected())) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update(new byte[] {
                    (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                    (byte) bytes.length});
                digest.update(bytes);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
