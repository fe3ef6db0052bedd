package io.prefpipe.app.dashboard;

import static io.prefpipe.app.monitor.TestPipelineData.FIT_1;
import static io.prefpipe.app.monitor.TestPipelineData.FIT_2;
import static io.prefpipe.app.monitor.TestPipelineData.deadLetter;
import static io.prefpipe.app.monitor.TestPipelineData.estimate;
import static io.prefpipe.app.monitor.TestPipelineData.pair;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.app.http.PrefpipeServer;
import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.app.monitor.MonitorSnapshot;
import io.prefpipe.app.monitor.PipelineMonitor;
import io.prefpipe.app.monitor.TestPipelineData;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor on a real broker, and the dashboard's routes on a real Javalin server: prefpipe's topics are filled as
 * the curation job and the training loop would fill them, and the state, {@code /metrics} and the Grafana dashboard
 * must show it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path GRAFANA = Path.of("..", "deploy", "grafana", "prefpipe.json");

    @TempDir
    static Path snapshots;

    private final String run = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private MonitorConfig config;
    private PipelineMonitor monitor;
    private PrefpipeServer server;

    @BeforeAll
    void fillTopicsAndStart() throws Exception {
        config = MonitorConfig.builder(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + run)
                .setFeedbackJsonTopic("feedback-json-" + run)
                .setDeadLetterTopic("dlq-" + run)
                .setPairsTopic("pairs-" + run)
                .setAnnotatorsTopic("annotators-" + run)
                .setCheckpointsTopic("checkpoints-" + run)
                .setCurationGroupId("curate-" + run)
                .setSnapshotsDir(snapshots)
                .setRefreshInterval(Duration.ofMillis(200))
                .build();
        String bootstrap = KAFKA.bootstrapServers();
        Topics.ensure(bootstrap, List.of(config.feedbackTopic(), config.feedbackJsonTopic(), config.deadLetterTopic(),
                config.pairsTopic(), config.annotatorsTopic(), config.checkpointsTopic()), 1, (short) 1);
        KafkaTestTopics.produce(bootstrap, config.feedbackTopic(),
                IntStream.range(0, 10).mapToObj(i -> new byte[] {(byte) i}).toList());
        KafkaTestTopics.produce(bootstrap, config.feedbackJsonTopic(), List.of("{}".getBytes(), "{}".getBytes()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.alterConsumerGroupOffsets(config.curationGroupId(),
                    Map.of(new TopicPartition(config.feedbackTopic(), 0), new OffsetAndMetadata(4))).all().get();
        }
        AvroCodec<DeadLetter> dlq = new AvroCodec<>(DeadLetter.class);
        KafkaTestTopics.produce(bootstrap, config.deadLetterTopic(), List.of(dlq.encode(deadLetter("empty_text")),
                dlq.encode(deadLetter("empty_text")), dlq.encode(deadLetter("missing_field"))));
        AvroCodec<PreferencePair> pairs = new AvroCodec<>(PreferencePair.class);
        List<byte[]> pairMessages = new ArrayList<>();
        pairMessages.add(pairs.encode(pair("a", "a long chosen answer", "short", 0.9, 1.0, 3, 2L, FIT_2)));
        pairMessages.add(pairs.encode(pair("b", "x", "y", 0.7, 2.0 / 3, 3, 2L, FIT_2)));
        pairMessages.add("not avro".getBytes());
        KafkaTestTopics.produce(bootstrap, config.pairsTopic(), pairMessages);
        AvroCodec<AnnotatorEstimate> annotators = new AvroCodec<>(AnnotatorEstimate.class);
        KafkaTestTopics.produce(bootstrap, config.annotatorsTopic(), List.of(
                annotators.encode(estimate("ann-good", 1, FIT_1, 0.9, 300, List.of())),
                annotators.encode(estimate("ann-spam", 1, FIT_1, 0.5, 100, List.of("SPAMMER"))),
                annotators.encode(estimate("ann-good", 2, FIT_2, 0.85, 600, List.of())),
                annotators.encode(estimate("ann-spam", 2, FIT_2, 0.52, 200, List.of("SPAMMER")))));
        TestPipelineData.publish(bootstrap, config.checkpointsTopic(), List.of(
                TestPipelineData.checkpoint("it-1", null, "snap-1", Map.of("loss", 0.69, "rewards/accuracy", 0.55)),
                TestPipelineData.checkpoint("it-2", "it-1", "snap-2", Map.of("loss", 0.6, "rewards/accuracy", 0.7))));
        new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, "snap-2", Instant.parse("2026-11-28T10:02:00Z"), "ds",
                List.of(), List.of(), new Counts(12, 8, 2, Map.of("duplicate", 1L, "tie", 1L),
                        Map.of("empty_text", 2L)),
                Map.of("label_noise.judgement_flip_rate", "0.31", "label_noise.decided_error_rate", "NaN"))
                .write(snapshots.resolve("snap-2"));

        monitor = PipelineMonitor.start(config);
        server = PrefpipeServer.start("127.0.0.1", 0, List.of(new DashboardRoutes(monitor)));
        TestPipelineData.await(monitor, s -> s.stages().checkpoints() == 2 && s.stages().pairs() == 2
                && s.stages().annotatorEstimates() == 4 && s.stages().deadLetters() == 3 && s.curation() != null
                && s.throughput().size() >= 2 && monitor.undecodable() == 1, TIMEOUT);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (monitor != null) {
            monitor.close();
        }
    }

    @Test
    void snapshot_everyTopicLagAndManifest_areSeen() {
        MonitorSnapshot s = monitor.snapshot();

        assertThat(s.stages().feedbackByTopic()).containsEntry(config.feedbackTopic(), 10L)
                .containsEntry(config.feedbackJsonTopic(), 2L);
        assertThat(s.stages().consumerLag()).as("6 left on the Avro topic, 2 never read on the JSON one")
                .isEqualTo(8);
        assertThat(s.deadLettersByReason()).containsEntry("empty_text", 2L).containsEntry("missing_field", 1L);
        assertThat(s.annotators()).filteredOn(a -> a.annotatorId().equals("ann-spam")).singleElement()
                .satisfies(a -> {
                    assertThat(a.flags()).containsExactly("SPAMMER");
                    assertThat(a.history()).hasSize(2);
                });
        assertThat(s.latestLabelNoise().decidedPairs()).isEqualTo(2);
        assertThat(s.curation().source()).isEqualTo("manifest snap-2");
        assertThat(s.curation().filtered()).containsEntry("tie", 1L);
        assertThat(s.snapshots()).singleElement().satisfies(m -> {
            assertThat(m.judgementFlipRate()).isEqualTo(0.31);
            assertThat(m.decidedErrorRate()).as("NaN in a manifest is unknown").isNull();
        });
        assertThat(s.checkpoints()).extracting(MonitorSnapshot.CheckpointRow::parentCheckpointId)
                .containsExactly(null, "it-1");
    }

    @Test
    void readBack_startsTheRecordTopicsAtTheWindow_andReadsCheckpointsWhole() throws Exception {
        String other = UUID.randomUUID().toString();
        MonitorConfig.Builder watched = MonitorConfig.builder(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + other)
                .setFeedbackJsonTopic("feedback-json-" + other)
                .setDeadLetterTopic("dlq-" + other)
                .setPairsTopic("pairs-" + other)
                .setAnnotatorsTopic("annotators-" + other)
                .setCheckpointsTopic("checkpoints-" + other)
                .setRefreshInterval(Duration.ofMillis(200));
        MonitorConfig all = watched.build();
        String bootstrap = KAFKA.bootstrapServers();
        Topics.ensure(bootstrap, List.of(all.deadLetterTopic(), all.pairsTopic(), all.annotatorsTopic(),
                all.checkpointsTopic()), 1, (short) 1);
        long threeDaysAgo = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
        AvroCodec<DeadLetter> dlq = new AvroCodec<>(DeadLetter.class);
        AvroCodec<PreferencePair> pairs = new AvroCodec<>(PreferencePair.class);
        AvroCodec<AnnotatorEstimate> annotators = new AvroCodec<>(AnnotatorEstimate.class);
        AvroCodec<CheckpointEvent> checkpoints = new AvroCodec<>(CheckpointEvent.class);
        KafkaTestTopics.produce(bootstrap, all.deadLetterTopic(), List.of(dlq.encode(deadLetter("too_old")),
                dlq.encode(deadLetter("too_old")), dlq.encode(deadLetter("too_old"))), threeDaysAgo);
        KafkaTestTopics.produce(bootstrap, all.deadLetterTopic(), List.of(dlq.encode(deadLetter("empty_text")),
                dlq.encode(deadLetter("missing_field"))));
        KafkaTestTopics.produce(bootstrap, all.pairsTopic(),
                List.of(pairs.encode(pair("old", "x", "y", 0.9, 1.0, 3, 1L, FIT_1))), threeDaysAgo);
        KafkaTestTopics.produce(bootstrap, all.pairsTopic(),
                List.of(pairs.encode(pair("new", "x", "y", 0.9, 1.0, 3, 2L, FIT_2))));
        KafkaTestTopics.produce(bootstrap, all.annotatorsTopic(),
                List.of(annotators.encode(estimate("ann-gone", 1, FIT_1, 0.9, 300, List.of()))), threeDaysAgo);
        KafkaTestTopics.produce(bootstrap, all.checkpointsTopic(), List.of(checkpoints.encode(
                TestPipelineData.checkpoint("it-1", null, "snap-1", Map.of("loss", 0.69)))), threeDaysAgo);

        try (PipelineMonitor everything = PipelineMonitor.start(all);
                PipelineMonitor lastDay = PipelineMonitor.start(watched.setReadBack(Duration.ofDays(1)).build())) {
            MonitorSnapshot whole = TestPipelineData.await(everything, s -> s.stages().deadLetters() == 5
                    && s.stages().pairs() == 2 && s.stages().annotatorEstimates() == 1
                    && s.stages().checkpoints() == 1, TIMEOUT);
            assertThat(whole.deadLettersByReason()).containsEntry("too_old", 3L);

            TestPipelineData.await(lastDay, s -> s.stages().checkpoints() == 1 && s.stages().deadLetters() >= 2
                    && s.stages().pairs() >= 1, TIMEOUT);
            // five more refreshes (a second of polling) for anything else it would read
            long refreshes = lastDay.refreshes();
            TestPipelineData.await(lastDay, s -> lastDay.refreshes() >= refreshes + 5, TIMEOUT);
            MonitorSnapshot windowed = lastDay.snapshot();
            assertThat(windowed.stages().deadLetters()).isEqualTo(2);
            assertThat(windowed.deadLettersByReason()).containsOnlyKeys("empty_text", "missing_field");
            assertThat(windowed.stages().pairs()).isEqualTo(1);
            assertThat(windowed.stages().annotatorEstimates()).as("nothing stamped in the last day: from the end")
                    .isZero();
            assertThat(windowed.checkpoints()).extracting(MonitorSnapshot.CheckpointRow::checkpointId)
                    .containsExactly("it-1");
        }
    }

    @Test
    void state_isTheSnapshotAsJson() throws Exception {
        HttpResponse<String> r = get(DashboardRoutes.STATE);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode state = json.readTree(r.body());
        assertThat(state.path("stages").path("pairs").asLong()).isEqualTo(2);
        assertThat(state.path("annotators").findValuesAsText("annotatorId")).contains("ann-good", "ann-spam");
        assertThat(state.path("pairs").path("pChosen").path("counts")).hasSize(10);
        assertThat(state.path("checkpoints").get(1).path("metrics").path("rewards/accuracy").asDouble())
                .isEqualTo(0.7);
    }

    @Test
    void page_andItsAssets_areServedFromTheClassPath() throws Exception {
        HttpResponse<String> root = get("/");
        HttpResponse<String> page = get(DashboardRoutes.PAGE);
        HttpResponse<String> echarts = get(DashboardRoutes.ASSETS + "/echarts.min.js");
        HttpResponse<String> script = get(DashboardRoutes.ASSETS + "/dashboard.js");

        assertThat(root.statusCode()).as("/ leads to the page").isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue(DashboardRoutes.PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-chart=\"throughput\"", "id=\"annotators\"", "echarts.min.js");
        assertThat(echarts.statusCode()).isEqualTo(200);
        assertThat(echarts.body()).hasSizeGreaterThan(500_000).contains("echarts");
        assertThat(script.body()).contains(DashboardRoutes.STATE);
        assertThat(get(DashboardRoutes.ASSETS + "/secret.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void metrics_showTheSameFiguresAsTheState() throws Exception {
        HttpResponse<String> r = get(DashboardRoutes.METRICS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(r.body()).contains(
                "prefpipe_feedback_events_total{topic=\"" + config.feedbackTopic() + "\"} 10.0",
                "prefpipe_consumer_lag{group=\"" + config.curationGroupId() + "\"} 8.0",
                "prefpipe_dead_letters_total{reason=\"empty_text\"} 2.0",
                "prefpipe_curated_pairs_total 2.0",
                "prefpipe_annotator_accuracy{annotator=\"ann-spam\",method=\"ds\"} 0.52",
                "prefpipe_annotator_flagged{annotator=\"ann-spam\",flag=\"SPAMMER\"} 1.0",
                "prefpipe_annotators_flagged{flag=\"SPAMMER\"} 1.0",
                "prefpipe_curation_filtered_events{reason=\"duplicate\"} 1.0",
                "prefpipe_pairs_by_p_chosen{bin=\"0.90\"} 1.0",
                "prefpipe_checkpoint_metric{checkpoint=\"it-2\",metric=\"rewards/accuracy\"} 0.7",
                "prefpipe_monitor_undecodable_records_total 1.0");
        // fit 2: (600 * 0.15 + 200 * 0.48) / 800
        assertThat(sample(r.body(), "prefpipe_label_noise_judgement_flip_rate")).isCloseTo(0.2325,
                org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void grafanaDashboard_queriesOnlyMetricsThatAreExposed() throws Exception {
        JsonNode dashboard = json.readTree(Files.readString(GRAFANA));
        Set<String> queried = new TreeSet<>();
        Pattern name = Pattern.compile("prefpipe_[a-z_]+");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = name.matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group());
            }
        }
        Set<String> exposed = new TreeSet<>();
        for (String line : get(DashboardRoutes.METRICS).body().split("\n")) {
            Matcher m = name.matcher(line);
            if (!line.startsWith("#") && m.lookingAt()) {
                exposed.add(m.group());
            }
        }

        assertThat(dashboard.path("panels").size()).isGreaterThan(10);
        assertThat(queried).hasSizeGreaterThan(20);
        assertThat(exposed).as("every metric the Grafana dashboard queries has samples").containsAll(queried);
    }

    private static double sample(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix + "{") || l.startsWith(prefix + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(prefix + " not in " + metrics));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
