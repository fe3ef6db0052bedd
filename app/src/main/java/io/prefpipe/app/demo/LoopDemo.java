package io.prefpipe.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefpipe.app.dashboard.LiveDashboard;
import io.prefpipe.app.loop.IterationRecord;
import io.prefpipe.app.loop.LoopConfig;
import io.prefpipe.app.loop.LoopRunner;
import io.prefpipe.app.loop.SyntheticSimulation;
import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code prefpipe demo --iterations N}: the alignment loop of {@code prefpipe run} on embedded defaults (the resource
 * {@value #DEFAULTS}) in the synthetic world. It starts a broker, produces the demo's synthetic feedback as a backlog,
 * starts the unbounded curation job on it, warms up the initial policy on the responses the annotators were shown, and
 * once the job has curated the backlog, runs N iterations: each cuts what was curated since the previous one, refreshes
 * the reward model, optimizes the policy from the previous checkpoint, evaluates it (the true-reward win rate against
 * the initial policy among the figures), publishes its checkpoint event, and publishes candidate comparisons that the
 * simulated annotators judge and send back as feedback, to be curated into the next iteration's snapshot.
 */
public final class LoopDemo {
    /** The embedded defaults of the loop, a resource beside this class. */
    public static final String DEFAULTS = "demo-loop.yaml";
    /** The topics by their config field, as the demo names them (prefixed on a shared cluster). */
    private static final Map<String, String> TOPICS = topics();
    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DemoOptions options;
    private final int iterations;
    private final Map<String, Object> overrides;
    private final PrintStream console;

    /**
     * @param overrides dotted config paths to values (e.g. {@code optimize.beta}) that replace the embedded defaults
     */
    public LoopDemo(DemoOptions options, int iterations, Map<String, Object> overrides, PrintStream console) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.options = Objects.requireNonNull(options, "options");
        this.iterations = iterations;
        this.overrides = Map.copyOf(overrides);
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * What the demo did.
     *
     * @param runId names the loop, its folder and its checkpoints
     * @param loopDir the loop's folder
     * @param produced messages produced to each feedback topic
     * @param backlogJudgements valid synthetic judgements in the backlog
     * @param warmUpLoss the warm-up's final NLL per token
     * @param iterations the loop's iterations
     * @param stageTimes time of each stage before the loop, and of the loop
     * @param total the whole run
     */
    public record Report(String runId, Path loopDir, Map<String, Long> produced, long backlogJudgements,
            double warmUpLoss, List<IterationRecord> iterations, Map<String, Duration> stageTimes, Duration total) {}

    public Report run() throws IOException, InterruptedException {
        Instant start = Instant.now();
        String runId = "demo-" + options.seed() + "-" + RUN_ID.format(start);
        Path loopDir = options.out().resolve("loops").resolve(runId);
        Map<String, Duration> stages = new LinkedHashMap<>();
        SyntheticWorld world = new SyntheticWorld();
        console.println("[1/5 Starting " + (options.bootstrap() == null ? "an embedded Kafka broker (KRaft)"
                : "on " + options.bootstrap()) + "]");
        Instant t = Instant.now();
        try (EmbeddedKafkaBroker broker = options.bootstrap() == null
                ? EmbeddedKafkaBroker.builder().build().start() : null) {
            String bootstrap = broker == null ? options.bootstrap() : broker.bootstrapServers();
            // On a shared cluster the demo's topics must not mix with earlier runs' data.
            String prefix = broker == null ? runId + "." : "";
            LoopConfig config = config(runId, loopDir, bootstrap, prefix);
            // One partition: which votes count as late depends on how partitions interleave.
            Topics.ensure(bootstrap, config.kafka().topics(), 1, (short) 1);
            stages.put("broker", Duration.between(t, Instant.now()));
            try (LiveDashboard dashboard = startDashboard(config)) {
                CurationProgressListener monitor = dashboard == null ? CurationProgressListener.NONE
                        : dashboard.monitor().curationListener();
                console.println("[2/5 Producing the synthetic backlog]");
                t = Instant.now();
                // The backlog ends before now, so the judgements of the loop's candidates (stamped with the clock)
                // come after it in event time and are never late.
                Instant backlogStart = start.minus(SyntheticFeedbackConfig.builder(options.seed()).build()
                        .meanInterval().multipliedBy(2L * options.judgements()));
                SyntheticBacklog.Produced produced = SyntheticBacklog.produce(options, backlogStart, bootstrap,
                        config.kafka().feedback(), config.kafka().feedbackJson(), config.kafka().deadLetters(), world,
                        console);
                stages.put("produce", Duration.between(t, Instant.now()));
                console.println("[3/5 Starting the unbounded curation job and the simulated annotators]");
                t = Instant.now();
                try (LoopRunner runner = LoopRunner.start(config, new SyntheticSimulation(world, config.synthetic(),
                        config.seed()), console, monitor, TrainingListener.NONE, false)) {
                    stages.put("start", Duration.between(t, Instant.now()));
                    console.printf("[4/5 Warming up the initial policy on the %d responses the annotators were shown,"
                            + " while the job curates the backlog]%n", produced.responses().size());
                    t = Instant.now();
                    double warmUpLoss = warmUp(produced, config.initialPolicy());
                    runner.awaitCurated(Duration.ofMinutes(5));
                    stages.put("warm-up", Duration.between(t, Instant.now()));
                    console.printf("[5/5 The loop: %d iteration(s); checkpoints and their lineage on '%s', the"
                            + " dashboard shows them]%n", iterations, config.kafka().checkpoints());
                    t = Instant.now();
                    List<IterationRecord> done = runner.run(iterations);
                    stages.put("loop", Duration.between(t, Instant.now()));
                    return new Report(runId, loopDir, produced.byTopic(), options.judgements(), warmUpLoss, done,
                            stages, Duration.between(start, Instant.now()));
                }
            }
        }
    }

    /** The embedded defaults with the run's name, folders, broker, topics, initial policy and overrides. */
    private LoopConfig config(String runId, Path loopDir, String bootstrap, String prefix) {
        JsonNode document = LoopConfig.parse(defaults());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", runId);
        values.put("dir", loopDir.toString());
        values.put("seed", options.seed());
        values.put("kafka.bootstrap", bootstrap);
        TOPICS.forEach((field, topic) -> values.put("kafka.topics." + field, prefix + topic));
        values.put("curation.group-id", "prefpipe-" + runId);
        values.put("policy.initial", loopDir.resolve("initial-policy").toString());
        values.put("synthetic.annotators", options.annotators());
        values.putAll(overrides);
        for (Map.Entry<String, Object> v : values.entrySet()) {
            document = LoopConfig.with(document, v.getKey(), v.getValue());
        }
        return LoopConfig.read(document);
    }

    private static Map<String, String> topics() {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("feedback", "feedback");
        topics.put("feedback-json", "feedback.json");
        topics.put("dead-letters", "feedback.dlq");
        topics.put("pairs", "pairs");
        topics.put("annotators", "annotators");
        topics.put("checkpoints", MonitorConfig.CHECKPOINTS_TOPIC);
        topics.put("candidates", "candidates");
        return topics;
    }

    private static String defaults() {
        try (InputStream in = LoopDemo.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULTS + " is missing beside " + LoopDemo.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + DEFAULTS, e);
        }
    }

    private LiveDashboard startDashboard(LoopConfig config) {
        if (options.dashboardPort() == null) {
            return null;
        }
        LiveDashboard dashboard = LiveDashboard.start(MonitorConfig.builder(config.kafka().bootstrap())
                .setFeedbackTopic(config.kafka().feedback())
                .setFeedbackJsonTopic(config.kafka().feedbackJson())
                .setDeadLetterTopic(config.kafka().deadLetters())
                .setPairsTopic(config.kafka().pairs())
                .setAnnotatorsTopic(config.kafka().annotators())
                .setCheckpointsTopic(config.kafka().checkpoints())
                .setCurationGroupId(config.curation().groupId())
                .setSnapshotsDir(config.curation().jobDir().resolve(SnapshotCutter.CUTS))
                .build(), options.dashboardPort());
        console.println("      dashboard at " + dashboard.url() + " (training metrics and checkpoint lineage update"
                + " after each iteration)");
        return dashboard;
    }

    /** Warms up a fresh policy on the backlog's responses and saves it as the loop's initial policy. */
    private double warmUp(SyntheticBacklog.Produced produced, Path dir) throws IOException {
        try (PolicyModel policy = PolicyModel.create(PolicyConfig.defaults(), options.seed())) {
            TrainingResult r = DemoRunner.warmUp(policy, produced.responses(), options,
                    DemoRunner.progress(console, "warm-up", options.sftSteps()), console);
            policy.save(dir);
            console.println("      initial policy saved to " + dir);
            return r.finalLoss();
        }
    }
}
