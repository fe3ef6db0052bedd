package io.prefpipe.app.loop;

import io.prefpipe.app.candidates.AnnotationRequests;
import io.prefpipe.app.candidates.CandidateGenerator;
import io.prefpipe.app.eval.KlEstimate;
import io.prefpipe.app.train.PolicyDirs;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.labeling.sampling.RejectionSamplerConfig;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.checkpoint.CheckpointWriter;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.NashMdLoss;
import io.prefpipe.optimizer.loss.PairwisePreferenceLoss;
import io.prefpipe.optimizer.loss.PreferenceLosses;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.online.NashMdTrainer;
import io.prefpipe.optimizer.train.ListwiseTrainer;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.reward.loss.PairwiseMetrics;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.preference.RewardPreferenceModel;
import io.prefpipe.reward.train.RewardModelTrainer;
import io.prefpipe.reward.train.RewardTrainingConfig;
import io.prefpipe.reward.train.RewardTrainingResult;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

/**
 * The real work of the loop's steps, on a {@link LoopConfig}: cuts from the live curation job, the reward model and
 * policy trained with the preference-optimizer library, evaluation, the checkpoint event on Kafka, and candidates by
 * rejection sampling on Kafka. With a {@link SimulatedWorld}, evaluation adds what only that world knows; its
 * annotators are started by whoever runs the loop ({@link LoopRunner}).
 *
 * <p>Ids are fixed by the loop's name and the iteration, so a step run again after a crash makes the same ones: the
 * snapshot (a cut) and the checkpoint of iteration 3 of loop {@code L} are both {@code L-iteration-0003}, and its
 * candidate comparisons {@code L-iteration-0003-c00000} upwards. Training and sampling are seeded with the loop's
 * seed plus the iteration. Every step prints what it does to the console.
 */
public final class AlignmentSteps implements LoopSteps {
    /** The training metrics (of the last step) evaluation reports, and the names it gives them. */
    private static final List<Map.Entry<String, String>> TRAINING_METRICS = List.of(
            Map.entry("rewards/accuracy", "train_reward_accuracy"),
            Map.entry("rewards/margin", "train_reward_margin"),
            Map.entry("kl", "train_kl"));

    private final LoopConfig config;
    private final LiveCuration curation;
    private final SimulatedWorld world;
    private final PrintStream console;
    private final TrainingListener trainingListener;
    private final Clock clock;
    private final SnapshotReader reader = new SnapshotReader();
    private final CheckpointPublisher checkpoints;
    private final AnnotationRequests candidates;
    private final LoopConfigRecord configRecord;

    private AlignmentSteps(Builder b) {
        this.config = b.config;
        this.configRecord = b.configRecord != null ? b.configRecord
                : new LoopConfigRecord(LoopConfigRecord.fingerprint(LoopConfigRecord.values(b.config)),
                        LoopConfigRecord.values(b.config), 1, List.of());
        this.curation = b.curation;
        this.world = b.world;
        this.console = b.console;
        this.trainingListener = b.trainingListener;
        this.clock = b.clock;
        this.checkpoints = new CheckpointPublisher(config.kafka().bootstrap(), config.kafka().checkpoints());
        this.candidates = new AnnotationRequests(config.kafka().bootstrap(), config.kafka().candidates(),
                config.name() + "-candidates");
    }

    public static Builder builder(LoopConfig config, LiveCuration curation) {
        return new Builder(config, curation);
    }

    /** The id of iteration {@code iteration}'s snapshot and checkpoint. */
    public static String id(LoopConfig config, int iteration) {
        return String.format(Locale.ROOT, "%s-iteration-%04d", config.name(), iteration);
    }

    @Override
    public long pendingPairs() throws IOException {
        return curation.pendingPairs();
    }

    @Override
    public Snapshot cutSnapshot(int iteration, String previousSnapshotId, Path dir) throws IOException {
        Snapshot snapshot = curation.cut(id(config, iteration), previousSnapshotId, dir);
        SnapshotManifest.Counts c = SnapshotManifest.read(dir).counts();
        console.printf(Locale.ROOT, "  cut %s: %d pairs; waiting at start %d + events in %d = curated %d + filtered"
                        + " %d %s + dead-lettered %d %s + waiting at end %d  [%s]%n", snapshot.id(), c.pairs(),
                c.openAtStart(), c.eventsIn(), c.curatedEvents(), c.filteredTotal(), c.filtered(),
                c.deadLetteredTotal(), c.deadLettered(), c.openAtEnd(), c.reconciles() ? "reconciled" : "MISMATCH");
        return snapshot;
    }

    @Override
    public void refreshRewardModel(int iteration, Snapshot snapshot, Path previous, Path out) throws IOException {
        PreferenceSnapshot data = reader.read(snapshot.dir());
        LoopConfig.RewardModel rm = config.rewardModel();
        RewardTrainingConfig training = RewardTrainingConfig.builder()
                .setTraining(length(TrainingConfig.builder(), rm.steps(), rm.epochs())
                        .setBatchSize(rm.batchSize())
                        .setLearningRate(rm.learningRate())
                        .setSeed(config.seed() + iteration)
                        .build())
                .setHeldOutFraction(config.optimize().heldOut())
                .setSplitSeed(config.seed())
                .build();
        console.printf(Locale.ROOT, "  reward model from %s on %d pairs%n",
                previous == null ? "the initial policy " + config.initialPolicy() : previous,
                data.examples().size());
        try (RewardModel model = previous == null ? RewardModel.fromPolicy(config.initialPolicy(), config.seed())
                : RewardModel.load(previous)) {
            RewardTrainingResult result = new RewardModelTrainer(training, progress("reward model"))
                    .train(model, data.examples(), "snapshot " + snapshot.id());
            console.printf(Locale.ROOT, "  reward model: train accuracy %.4f%s%n", result.train().accuracy(),
                    result.heldOutMetrics().map(m -> String.format(Locale.ROOT, ", held-out accuracy %.4f on %d"
                            + " pairs", m.accuracy(), m.pairs())).orElse(""));
            model.save(out);
        }
    }

    @Override
    public Checkpoint optimize(int iteration, Snapshot snapshot, Path parent, Path reference, Path rewardModel,
            Path out) throws IOException {
        PreferenceSnapshot data = reader.read(snapshot.dir());
        LoopConfig.Optimize o = config.optimize();
        HeldOutSplit<PreferenceExample> split = HeldOutSplit.of(data.examples(), o.heldOut(), config.seed());
        String id = id(config, iteration);
        TrainingConfig training = length(TrainingConfig.builder(), o.steps(), o.epochs())
                .setBatchSize(o.batchSize())
                .setLearningRate(o.learningRate())
                .setBeta(o.beta())
                .setSeed(config.seed() + iteration)
                .build();
        console.printf(Locale.ROOT, "  %s from %s against %s on %d pairs (%d held out), %d steps%n", o.loss(),
                parent, reference.equals(parent) ? "a frozen copy of it" : reference, split.train().size(),
                split.heldOut().size(), training.totalSteps(split.train().size()));
        try (PolicyModel policy = PolicyDirs.load(parent);
                PolicyModel anchor = reference.equals(parent) ? policy.frozenCopy() : PolicyDirs.load(reference)) {
            CheckpointManifest.Builder manifest = CheckpointManifest.builder()
                    .setCheckpointId(id)
                    .setCreatedTime(clock.instant())
                    .setPolicy(policy.config())
                    .setSnapshot(data.manifest())
                    .setTraining(training)
                    .setProperty("loop.name", config.name())
                    .setProperty("loop.iteration", Integer.toString(iteration))
                    .setProperty("parent", parent.toAbsolutePath().toString())
                    .setProperty("reference", reference.toAbsolutePath().toString())
                    .setProperty("reference.mode", config.reference().name().toLowerCase(Locale.ROOT))
                    .setProperty("held_out.fraction", Double.toString(o.heldOut()))
                    .setProperty("held_out.pairs", Integer.toString(split.heldOut().size()))
                    .setProperty("seed", Long.toString(config.seed()))
                    .setProperty("loop.config.fingerprint", configRecord.fingerprint());
            List<String> changes = configRecord.changesUpTo(iteration);
            if (!changes.isEmpty()) {
                manifest.setProperty("loop.config.changes", String.join(" | ", changes));
            }
            if (rewardModel != null) {
                manifest.setProperty("reward_model", rewardModel.toAbsolutePath().toString());
            }
            TrainingResult result = train(policy, anchor, split.train(), data.manifest(), training, rewardModel,
                    manifest);
            manifest.setResult(result).setProperty("loss.start", Double.toString(head(result.losses())))
                    .setProperty("loss.end", Double.toString(tail(result.losses())));
            console.printf(Locale.ROOT, "  %s loss %.4f -> %.4f over %d steps (%.1f steps/s)%n", o.loss(),
                    head(result.losses()), tail(result.losses()), result.steps(), result.stepsPerSecond());
            io.prefpipe.optimizer.checkpoint.Checkpoint written = new CheckpointWriter(out).write(policy,
                    manifest.build());
            console.println("  checkpoint " + written.dir());
            return new Checkpoint(id, written.dir());
        }
    }

    private TrainingResult train(PolicyModel policy, PolicyModel reference, List<PreferenceExample> train,
            SnapshotManifest snapshot, TrainingConfig training, Path rewardModel, CheckpointManifest.Builder manifest)
            throws IOException {
        LoopConfig.Optimize o = config.optimize();
        TrainingListener listener = progress(o.loss());
        if (o.loss().equals(LipoLambdaLoss.NAME)) {
            manifest.setLoss(new CheckpointManifest.LossSpec(LipoLambdaLoss.NAME, o.beta(), Map.of()));
            return ListwiseTrainer.builder(new LipoLambdaLoss(o.beta()), training).setListener(listener).build()
                    .train(policy, reference, RankedExample.fromPairs(train, o.maxListSize()));
        }
        if (o.loss().equals(NashMdLoss.NAME)) {
            manifest.setLoss(new CheckpointManifest.LossSpec(NashMdLoss.NAME, o.beta(),
                    Map.of("mixture", o.mixture())));
            SamplingOptions sampling = SamplingOptions.builder()
                    .setMaxNewTokens(config.candidates().maxNewTokens())
                    .setTemperature(config.candidates().temperature())
                    .build();
            try (RewardModel judge = RewardModel.load(rewardModel)) {
                return NashMdTrainer.builder(new NashMdLoss(o.beta()), training, sampling)
                        .setMixtureWeight(o.mixture()).setListener(listener).build()
                        .train(policy, reference, new RewardPreferenceModel(judge), prompts(train));
            }
        }
        PairwisePreferenceLoss loss = pairwiseLoss(snapshot);
        manifest.setLoss(loss);
        return PreferenceTrainer.builder(loss, training).setListener(listener).build()
                .train(policy, reference, train);
    }

    /** The configured pairwise loss; cdpo and rdpo take ε from the snapshot's label-noise estimate unless given. */
    private PairwisePreferenceLoss pairwiseLoss(SnapshotManifest snapshot) {
        LoopConfig.Optimize o = config.optimize();
        PreferenceLosses.Builder builder = PreferenceLosses.builder(o.loss()).setBeta(o.beta());
        Double epsilon = o.epsilon();
        if (epsilon == null && (o.loss().equals("cdpo") || o.loss().equals("rdpo"))) {
            String estimate = snapshot.properties().get(LabelNoise.DECIDED_ERROR_RATE);
            if (estimate == null) {
                throw new IllegalArgumentException("optimize.epsilon: " + o.loss() + " needs epsilon, and snapshot "
                        + snapshot.snapshotId() + " has no " + LabelNoise.DECIDED_ERROR_RATE + " estimate (no"
                        + " annotator model was fitted); set optimize.epsilon");
            }
            epsilon = Double.parseDouble(estimate);
            console.printf(Locale.ROOT, "  %s: epsilon %.4f from the snapshot's %s%n", o.loss(), epsilon,
                    LabelNoise.DECIDED_ERROR_RATE);
        }
        if (epsilon != null) {
            builder.setEpsilon(epsilon);
        }
        if (o.alpha() != null) {
            builder.setAlpha(o.alpha());
        }
        return builder.build();
    }

    @Override
    public Map<String, Double> evaluate(int iteration, Snapshot snapshot, Path checkpoint, Path reference,
            Path rewardModel) throws IOException {
        PreferenceSnapshot data = reader.read(snapshot.dir());
        List<PreferenceExample> heldOut = HeldOutSplit.of(data.examples(), config.optimize().heldOut(),
                config.seed()).heldOut();
        Map<String, Double> metrics = new LinkedHashMap<>();
        CheckpointManifest trained = CheckpointManifest.read(checkpoint);
        // the loss averaged over the last steps: a single step's is one batch's
        metrics.put("loss", Double.parseDouble(trained.properties().getOrDefault("loss.end",
                Double.toString(trained.result().finalLoss()))));
        for (Map.Entry<String, String> m : TRAINING_METRICS) {
            Double v = trained.result().finalMetrics().get(m.getKey());
            if (v != null) {
                metrics.put(m.getValue(), v);
            }
        }
        try (PolicyModel policy = PolicyDirs.load(checkpoint); PolicyModel anchor = PolicyDirs.load(reference)) {
            double beta = config.optimize().beta();
            Map<String, Double> implicit = new PreferenceTrainer(new DpoLoss(beta),
                    TrainingConfig.builder().setBeta(beta).build()).evaluate(policy, anchor, heldOut);
            metrics.put("held_out_reward_accuracy", implicit.get("rewards/accuracy"));
            metrics.put("held_out_reward_margin", implicit.get("rewards/margin"));
            if (rewardModel != null) {
                try (RewardModel judge = RewardModel.load(rewardModel)) {
                    PairwiseMetrics m = RewardModelTrainer.evaluate(judge, heldOut);
                    metrics.put("rm_held_out_accuracy", m.accuracy());
                }
            }
            List<String> prompts = new ArrayList<>(new LinkedHashSet<>(heldOut.stream()
                    .map(PreferenceExample::prompt).toList()));
            List<String> klPrompts = new ArrayList<>(config.evaluate().klSamples());
            for (int i = 0; i < config.evaluate().klSamples(); i++) {
                klPrompts.add(prompts.get(i % prompts.size()));
            }
            KlEstimate kl = KlEstimate.of(policy, anchor, klPrompts, config.evaluate().maxNewTokens(),
                    config.seed() + 3);
            metrics.put("kl_to_reference", kl.kl());
            if (world != null) {
                try (PolicyModel initial = PolicyDirs.load(config.initialPolicy())) {
                    metrics.putAll(world.measure(policy, initial, data.examples()));
                }
            }
        }
        console.println("  " + format(metrics));
        return metrics;
    }

    @Override
    public void publishCheckpoint(IterationRecord record) throws IOException {
        CheckpointManifest manifest = CheckpointManifest.read(Path.of(record.checkpointDir()));
        Map<String, Double> metrics = new LinkedHashMap<>(record.metrics());
        metrics.values().removeIf(v -> !Double.isFinite(v));
        LoopConfig.Optimize o = config.optimize();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("loop", config.name());
        settings.put("iteration", Integer.toString(record.iteration()));
        settings.put("reference", config.reference().name().toLowerCase(Locale.ROOT));
        settings.put("initial_policy", config.initialPolicy().toAbsolutePath().toString());
        settings.put("beta", Double.toString(o.beta()));
        settings.put("steps", Integer.toString(manifest.result().steps()));
        settings.put("learning_rate", Double.toString(o.learningRate()));
        manifest.loss().parameters().forEach((k, v) -> settings.put(k, Double.toString(v)));
        settings.put("reward_model_refresh", Boolean.toString(config.rewardModel().refresh()));
        if (record.rewardModelDir() != null) {
            settings.put("reward_model", record.rewardModelDir());
        }
        settings.put("snapshot_pairs", Long.toString(record.newPairs()));
        settings.put("config_fingerprint", configRecord.fingerprint());
        List<String> changes = configRecord.changesUpTo(record.iteration());
        if (!changes.isEmpty()) {
            settings.put("config_changes", String.join(" | ", changes));
        }
        CheckpointEvent event = CheckpointEvent.newBuilder()
                .setCheckpointId(record.checkpointId())
                .setPath(Path.of(record.checkpointDir()).toAbsolutePath().toString())
                .setParentCheckpointId(record.parentCheckpointId())
                .setSnapshotId(record.snapshotId())
                .setSnapshotManifest(Path.of(record.snapshotDir()).resolve(SnapshotManifest.FILE_NAME)
                        .toAbsolutePath().toString())
                .setLoss(manifest.loss().name())
                .setSeed(config.seed())
                .setConfig(settings)
                .setMetrics(metrics)
                .setCreatedTime(manifest.createdTime())
                .build();
        boolean sent = checkpoints.publishOnce(event);
        console.printf("  checkpoint event %s %s %s%n", record.checkpointId(),
                sent ? "published on" : "was already on", config.kafka().checkpoints());
    }

    @Override
    public long generateCandidates(IterationRecord record, Snapshot snapshot, Path checkpoint, Path rewardModel)
            throws IOException {
        int iteration = record.iteration();
        LoopConfig.Candidates c = config.candidates();
        if (!c.enabled()) {
            return 0;
        }
        if (rewardModel == null) {
            throw new IllegalStateException("candidates need a reward model to score them, and iteration "
                    + iteration + " has none");
        }
        String id = id(config, iteration);
        List<String> prompts = candidatePrompts(reader.read(snapshot.dir()).examples(), iteration);
        CandidateGenerator generator = new CandidateGenerator(c.samplesPerPrompt(),
                new RejectionSamplerConfig(c.accept(), c.rsoBeta()), c.pairing(),
                SamplingOptions.builder().setMaxNewTokens(c.maxNewTokens()).setTemperature(c.temperature()).build());
        long published = candidates.publishOnce(id, CandidateOffsets.of(config.dir(), iteration, candidates::endOffsets), () -> {
            console.printf(Locale.ROOT, "  sampling %d responses for each of %d prompts, scoring them, keeping %d per"
                    + " prompt by rejection sampling (beta %.2f), %s pairs%n", c.samplesPerPrompt(), prompts.size(),
                    c.accept(), c.rsoBeta(), c.pairing().code());
            try (PolicyModel policy = PolicyDirs.load(checkpoint); RewardModel judge = RewardModel.load(rewardModel)) {
                return generator.generate(policy, judge, prompts, id, iteration, config.seed() + iteration,
                        clock.instant());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        console.printf("  %d comparisons of %s on %s for annotation%n", published, id, config.kafka().candidates());
        return published;
    }

    /** Up to {@code candidates.prompts} distinct prompts of the snapshot, drawn by the iteration's seed. */
    private List<String> candidatePrompts(List<PreferenceExample> examples, int iteration) {
        List<String> prompts = new ArrayList<>(new TreeSet<>(examples.stream().map(PreferenceExample::prompt)
                .toList()));
        Collections.shuffle(prompts, new Random(config.seed() + iteration));
        return prompts.subList(0, Math.min(prompts.size(), config.candidates().prompts()));
    }

    private static List<String> prompts(List<PreferenceExample> examples) {
        return new ArrayList<>(new LinkedHashSet<>(examples.stream().map(PreferenceExample::prompt).toList()));
    }

    private static TrainingConfig.Builder length(TrainingConfig.Builder builder, int steps, int epochs) {
        return epochs > 0 ? builder.setEpochs(epochs) : builder.setSteps(steps);
    }

    private TrainingListener progress(String phase) {
        return trainingListener.andThen(p -> {
            int every = Math.max(1, p.totalSteps() / 4);
            if (p.step() % every == 0 || p.step() == p.totalSteps()) {
                console.printf(Locale.ROOT, "    %s step %d/%d  loss %.4f  %.1f steps/s  eta %ds%n", phase, p.step(),
                        p.totalSteps(), p.loss(), p.stepsPerSecond(), p.eta().toSeconds());
            }
        });
    }

    /** The mean loss of the first steps: up to 20, and no more than a fifth of the run. */
    private static double head(List<Double> losses) {
        return losses.subList(0, window(losses)).stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }

    /** The mean loss of the last steps: up to 20, and no more than a fifth of the run. */
    private static double tail(List<Double> losses) {
        return losses.subList(losses.size() - window(losses), losses.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN);
    }

    private static int window(List<Double> losses) {
        return Math.min(losses.size(), Math.max(1, Math.min(20, losses.size() / 5)));
    }

    static String format(Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return s.toString();
    }

    /** Settings of {@link AlignmentSteps}; the config and the curation are required. */
    public static final class Builder {
        private final LoopConfig config;
        private final LiveCuration curation;
        private SimulatedWorld world;
        private PrintStream console = System.out;
        private TrainingListener trainingListener = TrainingListener.NONE;
        private Clock clock = Clock.systemUTC();
        private LoopConfigRecord configRecord;

        private Builder(LoopConfig config, LiveCuration curation) {
            this.config = Objects.requireNonNull(config, "config");
            this.curation = Objects.requireNonNull(curation, "curation");
        }

        /** The simulated world, or null (the default) for real feedback. */
        public Builder setWorld(SimulatedWorld world) {
            this.world = world;
            return this;
        }

        public Builder setConsole(PrintStream console) {
            this.console = Objects.requireNonNull(console, "console");
            return this;
        }

        /** Hears every optimizer step of every training run (reward model and policy), before the console does. */
        public Builder setTrainingListener(TrainingListener trainingListener) {
            this.trainingListener = Objects.requireNonNull(trainingListener, "trainingListener");
            return this;
        }

        public Builder setClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The loop folder's record of its settings, whose fingerprint and accepted changes each checkpoint's lineage
         * carries; by default one of {@code config} without changes.
         */
        public Builder setConfigRecord(LoopConfigRecord configRecord) {
            this.configRecord = Objects.requireNonNull(configRecord, "configRecord");
            return this;
        }

        public AlignmentSteps build() {
            return new AlignmentSteps(this);
        }
    }
}
