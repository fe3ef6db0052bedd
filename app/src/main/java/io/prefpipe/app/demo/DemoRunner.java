package io.prefpipe.app.demo;

import io.prefpipe.app.dashboard.LiveDashboard;
import io.prefpipe.app.eval.TrueRewardEvaluation;
import io.prefpipe.app.loop.CheckpointPublisher;
import io.prefpipe.app.monitor.MonitorConfig;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.prefpipe.optimizer.checkpoint.Checkpoint;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.checkpoint.CheckpointWriter;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the whole pipeline once: synthetic feedback → Kafka → the Flink curation job → a Parquet snapshot → a tiny
 * policy warmed up on the snapshot's responses → DPO against that warm-up as reference → a checkpoint, then scores
 * the result against the synthetic world's hidden true reward.
 */
public final class DemoRunner {
    private static final int LOSS_WINDOW = 20;
    private static final int MAX_NEW_TOKENS = 48;
    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DemoOptions options;
    private final PrintStream console;
    private final Map<String, Duration> stageTimes = new LinkedHashMap<>();
    /** DPO's metrics of its last step (reward accuracy, margin, KL, ...), for the checkpoint event. */
    private Map<String, Double> dpoFinalMetrics = Map.of();

    public DemoRunner(DemoOptions options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    /** Runs the demo; the summary is printed to the console as it goes, and returned. */
    public DemoReport run() throws IOException {
        Instant start = Instant.now();
        String runId = "demo-" + options.seed() + "-" + RUN_ID.format(start);
        SyntheticWorld world = new SyntheticWorld();
        try (EmbeddedKafkaBroker broker = options.bootstrap() == null ? startBroker() : null) {
            String bootstrap = broker == null ? options.bootstrap() : broker.bootstrapServers();
            // On a shared cluster the demo's topics must not mix with earlier runs' data.
            String prefix = broker == null ? runId + "." : "";
            String feedback = prefix + "feedback";
            String feedbackJson = prefix + "feedback.json";
            String deadLetters = prefix + "feedback.dlq";
            String pairs = prefix + "pairs";
            String annotators = prefix + "annotators";
            String checkpoints = prefix + MonitorConfig.CHECKPOINTS_TOPIC;
            // One partition: which votes count as late depends on how partitions interleave, and the demo must
            // reproduce exactly from its seed.
            Topics.ensure(bootstrap, List.of(feedback, feedbackJson, deadLetters, pairs, checkpoints), 1, (short) 1);
            String groupId = "prefpipe-" + runId;

            try (LiveDashboard dashboard = startDashboard(MonitorConfig.builder(bootstrap)
                    .setFeedbackTopic(feedback).setFeedbackJsonTopic(feedbackJson)
                    .setDeadLetterTopic(deadLetters).setPairsTopic(pairs).setAnnotatorsTopic(annotators)
                    .setCheckpointsTopic(checkpoints).setCurationGroupId(groupId)
                    .setSnapshotsDir(options.out().resolve("snapshots"))
                    .build())) {
                SyntheticBacklog.Produced produced = produce(bootstrap, feedback, feedbackJson, deadLetters, world);
                CurationReport curation = curate(bootstrap, feedback, feedbackJson, deadLetters, pairs, annotators,
                        groupId, runId,
                        dashboard == null ? CurationProgressListener.NONE : dashboard.monitor().curationListener());
                PreferenceSnapshot snapshot = new SnapshotReader().read(curation.snapshotDir());
                double labelAccuracy = labelAccuracy(world, snapshot.examples());
                console.printf("      label accuracy against the true preference: %s %.4f on %d pairs (the stream), majority vote"
                        + " %.4f on %d pairs (batch, same judgements)%n", options.aggregator(), labelAccuracy,
                        snapshot.examples().size(), produced.majorityVote().accuracy(), produced.majorityVote().pairs());
                DemoReport report = train(world, snapshot, produced, curation, labelAccuracy, runId, start);
                publishCheckpoint(bootstrap, checkpoints, report, curation, runId);
                return report;
            }
        }
    }

    /** Serves the data-quality dashboard while the demo runs, unless it is off; null when off. */
    private LiveDashboard startDashboard(MonitorConfig config) {
        if (options.dashboardPort() == null) {
            return null;
        }
        LiveDashboard dashboard = LiveDashboard.start(config, options.dashboardPort());
        console.println("      data-quality dashboard at " + dashboard.url() + " (live while the demo runs)");
        return dashboard;
    }

    /**
     * Publishes the demo's checkpoint on the checkpoints topic, with its lineage and the measured metrics, as the
     * training loop does for each iteration: the dashboard's training charts and lineage read it from there.
     */
    private void publishCheckpoint(String bootstrap, String topic, DemoReport report, CurationReport curation,
            String runId) {
        Map<String, Double> metrics = new LinkedHashMap<>(dpoFinalMetrics);
        metrics.put("loss", report.dpoLossEnd());
        metrics.put("loss_start", report.dpoLossStart());
        metrics.put("true_reward_win_rate", report.winRateAfter());
        metrics.put("true_reward_win_rate_before", report.winRateBefore());
        metrics.put("true_reward_mean", report.policyMeanReward());
        metrics.put("label_accuracy", report.labelAccuracy());
        metrics.values().removeIf(v -> !Double.isFinite(v));
        CheckpointEvent event = CheckpointEvent.newBuilder()
                .setCheckpointId("dpo-" + runId)
                .setPath(report.checkpointDir().toString())
                .setSnapshotId(curation.manifest().snapshotId())
                .setSnapshotManifest(curation.snapshotDir().resolve(SnapshotManifest.FILE_NAME).toString())
                .setLoss("dpo")
                .setSeed(options.seed())
                .setConfig(Map.of("beta", Double.toString(options.beta()), "steps", Integer.toString(options.dpoSteps()),
                        "aggregator", options.aggregator(), "reference", "the warm-up policy"))
                .setMetrics(metrics)
                .setCreatedTime(Instant.now())
                .build();
        new CheckpointPublisher(bootstrap, topic).publishOnce(event);
    }

    private EmbeddedKafkaBroker startBroker() {
        return stage("broker", "1/5 Starting an embedded Kafka broker (KRaft)", () -> {
            EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder().build().start();
            console.println("      broker at " + b.bootstrapServers());
            return b;
        });
    }

    private SyntheticBacklog.Produced produce(String bootstrap, String feedbackTopic, String jsonTopic, String dlqTopic,
            SyntheticWorld world) {
        return stage("produce", "2/5 Producing synthetic feedback", () -> SyntheticBacklog.produce(options,
                SyntheticFeedbackConfig.builder(options.seed()).build().start(), bootstrap, feedbackTopic, jsonTopic,
                dlqTopic, world, console));
    }

    private CurationReport curate(String bootstrap, String feedback, String feedbackJson, String dlq, String pairs,
            String annotators, String groupId, String runId, CurationProgressListener monitor) {
        return stage("curate", "3/5 Curating with Flink (bounded run on a local MiniCluster)", () -> {
            CurationJobConfig config = CurationJobConfig.builder()
                    .setBootstrapServers(bootstrap)
                    .setFeedbackTopic(feedback)
                    .setFeedbackJsonTopic(feedbackJson)
                    .setDeadLetterTopic(dlq)
                    .setPairsTopic(pairs)
                    .setAnnotatorsTopic(annotators)
                    .setGroupId(groupId)
                    .setTransactionalIdPrefix("prefpipe-" + runId)
                    .setBounded(true)
                    .setEmitAfterVotes(options.emitAfterVotes())
                    // Mid-stream decisions by a model-based aggregator depend on which refit has reached them, which
                    // varies between runs; a window longer than the synthetic stream defers them to the end of input,
                    // where the final model decides, so the demo reproduces from its seed.
                    .setComparisonWindow(Duration.ofDays(1))
                    .setAggregator(options.aggregator())
                    .setSnapshotDir(options.out().resolve("snapshots").resolve(runId))
                    .setSnapshotId(runId)
                    .build();
            CurationReport r = CurationJob.run(config, new ConsoleCurationProgress(console, monitor));
            SnapshotManifest.Counts c = r.counts();
            console.printf("      events in %d %s = curated %d + filtered %d %s + dead-lettered %d %s -> %s%n",
                    c.eventsIn(), r.eventsInByTopic(), c.curatedEvents(), c.filteredTotal(), c.filtered(),
                    c.deadLetteredTotal(), c.deadLettered(), c.reconciles() ? "reconciled" : "DOES NOT RECONCILE");
            console.printf("      %d pairs in %d Parquet file(s) under %s%n", r.pairs(), r.manifest().files().size(),
                    r.snapshotDir());
            return r;
        });
    }

    /** Share of pairs whose chosen response has the higher true reward; equal rewards count half. */
    static double labelAccuracy(SyntheticWorld world, List<PreferenceExample> pairs) {
        double correct = 0;
        for (PreferenceExample p : pairs) {
            correct += TrueRewardEvaluation.credit(world, p.prompt(), p.chosen(), p.rejected());
        }
        return pairs.isEmpty() ? Double.NaN : correct / pairs.size();
    }

    private DemoReport train(SyntheticWorld world, PreferenceSnapshot snapshot, SyntheticBacklog.Produced produced,
            CurationReport curation, double labelAccuracy, String runId, Instant start) throws IOException {
        TrueRewardEvaluation eval = new TrueRewardEvaluation(world, world.heldOutPrompts(),
                options.evalSamplesPerPrompt(), MAX_NEW_TOKENS, options.evalTemperature());
        try (PolicyModel policy = PolicyModel.create(PolicyConfig.defaults(), options.seed())) {
            Instant training = begin("4/5 Training: supervised warm-up, then DPO against the warm-up as reference");
            TrainingResult sft = warmUp(policy, snapshot);
            try (PolicyModel reference = policy.frozenCopy()) {
                TrainingConfig dpoConfig = TrainingConfig.builder()
                        .setSteps(options.dpoSteps())
                        .setBatchSize(options.batchSize())
                        .setLearningRate(options.dpoLearningRate())
                        .setBeta(options.beta())
                        .setSeed(options.seed())
                        .build();
                DpoLoss dpoLoss = new DpoLoss(options.beta());
                TrainingResult dpo = PreferenceTrainer.builder(dpoLoss, dpoConfig)
                        .setListener(progress("DPO", options.dpoSteps()))
                        .build()
                        .train(policy, reference, snapshot.examples());
                dpoFinalMetrics = dpo.finalMetrics();
                console.printf("      DPO on %d pairs: loss %.4f -> %.4f over %d steps (%.1f steps/s)%n",
                        snapshot.examples().size(), head(dpo.losses()), tail(dpo.losses()), dpo.steps(),
                        dpo.stepsPerSecond());
                Checkpoint checkpoint = new CheckpointWriter(options.out().resolve("checkpoints")).write(policy,
                        CheckpointManifest.builder()
                                .setCheckpointId("dpo-" + runId)
                                .setCreatedTime(Instant.now())
                                .setLoss(dpoLoss)
                                .setTraining(dpoConfig)
                                .setPolicy(policy.config())
                                .setResult(dpo)
                                .setSnapshot(snapshot.manifest())
                                .setProperty("warmup.steps", Integer.toString(sft.steps()))
                                .setProperty("reference", "the warm-up policy")
                                .build());
                console.println("      checkpoint written to " + checkpoint.dir());
                end("train", training);

                Instant scoring = begin("5/5 Scoring both policies against the hidden true reward on held-out prompts");
                List<String> refA = eval.sample(reference, options.seed() + 1);
                List<String> refB = eval.sample(reference, options.seed() + 2);
                List<String> pol = eval.sample(policy, options.seed() + 1);
                printExamples(eval, refA, pol);
                end("score", scoring);
                return new DemoReport(produced.events(), produced.byTopic(), curation.counts(),
                        curation.eventsInByTopic(), curation.snapshotDir(),
                        options.aggregator(), labelAccuracy, produced.majorityVote().accuracy(),
                        produced.majorityVote().pairs(), estimatedFlipRate(snapshot.manifest()),
                        produced.majorityVote().trueFlipRate(),
                        sft.finalLoss(), head(dpo.losses()), tail(dpo.losses()), dpo.stepsPerSecond(),
                        eval.meanReward(refA), eval.meanReward(pol), eval.winRate(refA, refB), eval.winRate(pol, refB),
                        eval.size(), checkpoint.dir(), Collections.unmodifiableMap(new LinkedHashMap<>(stageTimes)), Duration.between(start, Instant.now()));
            }
        }
    }

    private void printExamples(TrueRewardEvaluation eval, List<String> reference, List<String> policy) {
        int step = Math.max(1, reference.size() / 4);
        for (int i = 0; i < reference.size(); i += step) {
            console.printf("      '%s'%n        reference: '%s' (r* %.2f)%n        policy:    '%s' (r* %.2f)%n",
                    eval.prompt(i), reference.get(i), eval.reward(i, reference.get(i)), policy.get(i),
                    eval.reward(i, policy.get(i)));
        }
    }

    private static double estimatedFlipRate(SnapshotManifest manifest) {
        String v = manifest.properties().get(LabelNoise.JUDGEMENT_FLIP_RATE);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private TrainingResult warmUp(PolicyModel policy, PreferenceSnapshot snapshot) {
        // The reference policy imitates the responses annotators were shown: both sides of every pair, once each.
        Set<PromptResponse> responses = new LinkedHashSet<>();
        for (PreferenceExample e : snapshot.examples()) {
            responses.add(new PromptResponse(e.prompt(), e.chosen()));
            responses.add(new PromptResponse(e.prompt(), e.rejected()));
        }
        return warmUp(policy, responses, options, progress("warm-up", options.sftSteps()), console);
    }

    /** Supervised warm-up of {@code policy} on {@code responses}, as {@code options} say. */
    static TrainingResult warmUp(PolicyModel policy, Set<PromptResponse> responses, DemoOptions options,
            TrainingListener listener, PrintStream console) {
        TrainingConfig config = TrainingConfig.builder()
                .setSteps(options.sftSteps())
                .setBatchSize(options.batchSize())
                .setLearningRate(options.sftLearningRate())
                .setSeed(options.seed())
                .build();
        TrainingResult r = new SftTrainer(config, listener).train(policy, List.copyOf(responses));
        console.printf("      warm-up on %d responses: NLL/token %.4f -> %.4f%n", responses.size(), head(r.losses()),
                tail(r.losses()));
        return r;
    }

    private TrainingListener progress(String phase, int totalSteps) {
        return progress(console, phase, totalSteps);
    }

    /** Prints a training phase's progress five times over its steps. */
    static TrainingListener progress(PrintStream console, String phase, int totalSteps) {
        int every = Math.max(1, totalSteps / 5);
        return p -> {
            if (p.step() % every == 0 || p.step() == p.totalSteps()) {
                console.printf("      %s step %d/%d  loss %.4f  %.1f steps/s  eta %ds%n", phase, p.step(),
                        p.totalSteps(), p.loss(), p.stepsPerSecond(), p.eta().toSeconds());
            }
        };
    }

    static double head(List<Double> losses) {
        return losses.subList(0, Math.min(LOSS_WINDOW, losses.size())).stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN);
    }

    static double tail(List<Double> losses) {
        return losses.subList(Math.max(0, losses.size() - LOSS_WINDOW), losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @FunctionalInterface
    private interface StageBody<T> {
        T run() throws Exception;
    }

    private <T> T stage(String key, String title, StageBody<T> body) {
        Instant t0 = begin(title);
        try {
            T result = body.run();
            end(key, t0);
            return result;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(title + " failed: " + e.getMessage(), e);
        }
    }

    private Instant begin(String name) {
        console.println("[" + name + "]");
        return Instant.now();
    }

    private void end(String key, Instant t0) {
        Duration took = Duration.between(t0, Instant.now());
        stageTimes.put(key, took);
        console.printf("      done in %.1f s%n", took.toMillis() / 1000.0);
    }

    /** Prints the curation job's running counts, and hands every call on to the dashboard's monitor. */
    private static final class ConsoleCurationProgress implements CurationProgressListener {
        private final PrintStream console;
        private final CurationProgressListener monitor;

        ConsoleCurationProgress(PrintStream console, CurationProgressListener monitor) {
            this.console = console;
            this.monitor = monitor;
        }

        @Override
        public void onFinished(CurationReport report) {
            monitor.onFinished(report);
        }

        @Override
        public void onStarted(String jobId, SourcePlan plan) {
            monitor.onStarted(jobId, plan);
            console.printf("      job %s reading %d messages from %d partition(s) of %s%n", jobId,
                    plan.offsetsCovered(), plan.partitions(), String.join(", ", plan.topics()));
        }

        @Override
        public void onProgress(SnapshotManifest.Counts c, Duration elapsed) {
            monitor.onProgress(c, elapsed);
            console.printf("      ... after %ds: %d events in, %d curated, %d filtered, %d dead-lettered%n",
                    elapsed.toSeconds(), c.eventsIn(), c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal());
        }
    }
}
