package io.prefpipe.reward.train;

import ai.djl.ndarray.NDArray;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link RewardModel} on preference pairs with the {@link BradleyTerryLoss}: holds out a seeded fraction of
 * the pairs ({@link HeldOutSplit}), runs the {@link OptimizationLoop} (AdamW with its learning-rate schedule, gradient
 * clipping and accumulation, seeded batch order) over the rest, the chosen and rejected responses of a micro-batch in
 * one forward pass, then measures pairwise accuracy and Bradley-Terry loss on both parts and records the run in the
 * model's {@link RewardModel#info()}.
 *
 * <p>{@link #trainRanked} trains on ranked lists instead, with every pair a list implies and one forward pass per
 * response (InstructGPT's batching).
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
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no preference examples");
        }
        HeldOutSplit<PreferenceExample> split = HeldOutSplit.of(examples, config.heldOutFraction(), config.splitSeed());
        List<PreferenceExample> train = split.train();
        int totalSteps = config.training().totalSteps(train.size());
        LOG.info("reward model: {} pairs ({} held out), {} steps of {} pairs, learning rate {}", examples.size(),
                split.heldOut().size(), totalSteps, Math.min(config.training().examplesPerStep(), train.size()),
                config.training().learningRate());
        BradleyTerryLoss loss = new BradleyTerryLoss(config.centering());
        TrainingResult run = optimize(model, loss, train.size(), totalSteps,
                batch -> microBatches(model, loss, train, batch));
        PairwiseMetrics trainMetrics = evaluate(model, train);
        PairwiseMetrics heldOutMetrics = split.heldOut().isEmpty() ? null : evaluate(model, split.heldOut());
        return finish(model, source, examples, split.heldOut().size(), run, trainMetrics, heldOutMetrics);
    }

    /**
     * Trains on ranked lists as InstructGPT (Ouyang et al., 2022) does: every pair a list implies ({@link
     * RankedExample#pairs()}: each response against every response with a lower label) is a Bradley-Terry comparison,
     * and all pairs of a list are in the same step, so that each response is scored once rather than once per pair
     * it is in. A list of K responses thus gives up to K(K−1)/2 pairs for K forward passes, where as many independent
     * pairs would cost K(K−1); the pairs of one list are correlated, but per unit of compute they teach far more.
     *
     * <p>The loss is the {@link BradleyTerryLoss} mean over the step's pairs, the objective {@link #train(RewardModel,
     * List, String)} would have on the implied pairs; only the batching differs. The batch size counts lists. The
     * configured fraction of the lists is held out, chosen as {@link HeldOutSplit} chooses pairs, so that no held-out
     * response is trained on; metrics, the result and the record count the pairs the lists imply.
     *
     * @param source what the lists are, recorded with the run
     * @throws IllegalArgumentException if there are no lists, too few to hold out the configured fraction, or a list
     *     whose labels are all equal (it implies no pair)
     */
    public RewardTrainingResult trainRanked(RewardModel model, List<RankedExample> lists, String source) {
        Objects.requireNonNull(source, "source");
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("no ranked lists");
        }
        for (RankedExample list : lists) {
            if (list.labels().stream().distinct().count() < 2) {
                throw new IllegalArgumentException("list " + list.listId() + " implies no pair: its labels are all "
                        + list.labels().get(0));
            }
        }
        HeldOutSplit<RankedExample> split = HeldOutSplit.of(lists, config.heldOutFraction(), config.splitSeed());
        List<RankedExample> train = split.train();
        List<RankedExample> heldOut = split.heldOut();
        int totalSteps = config.training().totalSteps(train.size());
        LOG.info("reward model: {} ranked lists ({} held out), {} steps of {} lists, learning rate {}", lists.size(),
                heldOut.size(), totalSteps, Math.min(config.training().examplesPerStep(), train.size()),
                config.training().learningRate());
        BradleyTerryLoss loss = new BradleyTerryLoss(config.centering());
        TrainingResult run = optimize(model, loss, train.size(), totalSteps,
                batch -> listMicroBatches(model, loss, train, batch));
        PairwiseMetrics trainMetrics = evaluateRanked(model, train);
        PairwiseMetrics heldOutMetrics = heldOut.isEmpty() ? null : evaluateRanked(model, heldOut);
        return finish(model, source, impliedPairs(lists), heldOut.isEmpty() ? 0 : heldOutMetrics.pairs(), run,
                trainMetrics, heldOutMetrics);
    }

    private TrainingResult optimize(RewardModel model, BradleyTerryLoss loss, int trainExamples, int totalSteps,
            Function<int[], List<OptimizationLoop.MicroBatch>> microBatches) {
        BatchSampler sampler = new BatchSampler(trainExamples,
                (int) Math.min(config.training().examplesPerStep(), trainExamples), config.training().seed());
        try (OptimizationLoop loop = new OptimizationLoop(model, config.training(), loss)) {
            return loop.run(totalSteps, new OptimizationLoop.BatchSource() {
                @Override
                public List<OptimizationLoop.MicroBatch> next() {
                    return microBatches.apply(sampler.nextBatch());
                }

                @Override
                public long position() {
                    return sampler.position();
                }
            }, listener);
        }
    }

    /** Logs the metrics, adds the run to the model's info and packs the result. */
    private RewardTrainingResult finish(RewardModel model, String source, List<PreferenceExample> pairs,
            int heldOutPairs, TrainingResult run, PairwiseMetrics trainMetrics, PairwiseMetrics heldOutMetrics) {
        LOG.info("reward model: train accuracy {} loss {}; held-out {}", format(trainMetrics.accuracy()),
                format(trainMetrics.loss()), heldOutMetrics == null ? "none"
                        : "accuracy " + format(heldOutMetrics.accuracy()) + " loss " + format(heldOutMetrics.loss()));
        model.recordTraining(new TrainingRecord(Instant.now(), source, pairs.size(), sha256(pairs), heldOutPairs,
                config.splitSeed(), config.centering(), config.training(), run.steps(), run.duration().toNanos() / 1e9,
                trainMetrics, heldOutMetrics));
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

    /**
     * The step's lists in micro-batches of at most {@code batchSize} lists, each weighted by its share of the step's
     * pairs: the loss is a mean over pairs, so lists with more pairs weigh more, as their pairs would in {@link
     * #train(RewardModel, List, String)}.
     */
    private List<OptimizationLoop.MicroBatch> listMicroBatches(RewardModel model, BradleyTerryLoss loss,
            List<RankedExample> train, int[] batch) {
        List<ScoredPairs> parts = new ArrayList<>();
        int pairs = 0;
        for (int from = 0; from < batch.length; from += config.training().batchSize()) {
            List<RankedExample> part = new ArrayList<>();
            for (int i = from; i < Math.min(batch.length, from + config.training().batchSize()); i++) {
                part.add(train.get(batch[i]));
            }
            ScoredPairs scored = ScoredPairs.of(part);
            parts.add(scored);
            pairs += scored.chosen().length;
        }
        List<OptimizationLoop.MicroBatch> microBatches = new ArrayList<>(parts.size());
        for (ScoredPairs part : parts) {
            double weight = (double) part.chosen().length / pairs;
            microBatches.add(new OptimizationLoop.MicroBatch(weight, (manager, trainer) -> {
                NDArray rewards = model.rewards(trainer, manager, part.rows());
                BradleyTerryLoss.Output output = loss.compute(
                        rewards.get(manager.create(part.chosen())), rewards.get(manager.create(part.rejected())));
                return new OptimizationLoop.StepOutput(output.loss(), output.metrics());
            }));
        }
        return microBatches;
    }

    /** Pairwise metrics over the pairs the lists imply, each response scored once. */
    private static PairwiseMetrics evaluateRanked(RewardModel model, List<RankedExample> lists) {
        ScoredPairs pairs = ScoredPairs.of(lists);
        double[] scores = model.score(pairs.rows());
        double[] chosen = new double[pairs.chosen().length];
        double[] rejected = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = scores[(int) pairs.chosen()[i]];
            rejected[i] = scores[(int) pairs.rejected()[i]];
        }
        return PairwiseMetrics.of(chosen, rejected);
    }

    /**
     * The responses of some lists as rows to score, and the implied pairs as row indices: {@code chosen[i]} is
     * preferred to {@code rejected[i]}.
     */
    private record ScoredPairs(List<PromptResponse> rows, long[] chosen, long[] rejected) {
        static ScoredPairs of(List<RankedExample> lists) {
            List<PromptResponse> rows = new ArrayList<>();
            List<long[]> pairs = new ArrayList<>();
            for (RankedExample list : lists) {
                int first = rows.size();
                for (String response : list.responses()) {
                    rows.add(new PromptResponse(list.prompt(), response));
                }
                // the order of RankedExample#pairs(), so that metrics count exactly the pairs the record fingerprints
                for (int i = 0; i < list.size(); i++) {
                    for (int j = 0; j < list.size(); j++) {
                        if (list.labels().get(i) > list.labels().get(j)) {
                            pairs.add(new long[] {first + i, first + j});
                        }
                    }
                }
            }
            long[] chosen = new long[pairs.size()];
            long[] rejected = new long[pairs.size()];
            for (int p = 0; p < pairs.size(); p++) {
                chosen[p] = pairs.get(p)[0];
                rejected[p] = pairs.get(p)[1];
            }
            return new ScoredPairs(rows, chosen, rejected);
        }
    }

    private static List<PreferenceExample> impliedPairs(List<RankedExample> lists) {
        List<PreferenceExample> pairs = new ArrayList<>();
        for (RankedExample list : lists) {
            pairs.addAll(list.pairs());
        }
        return pairs;
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
