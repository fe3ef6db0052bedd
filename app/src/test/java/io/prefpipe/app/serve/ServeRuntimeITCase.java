package io.prefpipe.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.app.dashboard.DashboardRoutes;
import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.app.monitor.PipelineMonitor;
import io.prefpipe.ingestion.format.ParseResult;
import io.prefpipe.ingestion.format.PrefpipeJsonParser;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.FeedbackEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/feedback} over real HTTP against a real broker. */
class ServeRuntimeITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String TOKEN = "s3cret-token-for-tests-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String topic = "feedback-serve-" + UUID.randomUUID();
    private ServeRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static ServeConfig.Builder config(String bootstrap, String topic) {
        return ServeConfig.builder()
                .setBootstrapServers(bootstrap)
                .setFeedbackTopic(topic)
                .setPort(0)
                .setToken(TOKEN)
                .setAckTimeout(Duration.ofSeconds(5));
    }

    private ServeRuntime start(ServeConfig.Builder config) {
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 1, (short) 1);
        runtime = ServeRuntime.start(config.build());
        return runtime;
    }

    private static String event(String eventId, String preferred) {
        return """
                {"event_id": "%s", "comparison_id": "c-%s", "prompt": "How do I reset my password?",
                 "responses": [{"id": "r1", "text": "Open Settings, then Security."},
                               {"id": "r2", "text": "I can't help with that."}],
                 "judgement": {"type": "pairwise", "preferred": "%s"},
                 "annotator": {"id": "ann-7", "kind": "HUMAN"}, "event_time": "2026-11-28T10:00:00Z"}"""
                .formatted(eventId, eventId, preferred);
    }

    private static HttpResponse<String> post(URI base, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(FeedbackRoutes.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI base, String body) throws Exception {
        return post(base, "Bearer " + TOKEN, body.getBytes(StandardCharsets.UTF_8));
    }

    private List<FeedbackEvent> onTopic() throws Exception {
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<FeedbackEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(), topic)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    private static FeedbackEvent parsed(String json) {
        return ((ParseResult.Parsed) new PrefpipeJsonParser().parse(json)).event();
    }

    @Test
    void post_withoutOrWithWrongToken_is401AndWritesNothing() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic));
        byte[] body = event("e-1", "r1").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> none = post(r.uri(), null, body);
        HttpResponse<String> wrong = post(r.uri(), "Bearer " + TOKEN.replace('s', 'S'), body);
        HttpResponse<String> prefixOfToken = post(r.uri(), "Bearer " + TOKEN.substring(0, 20), body);

        for (HttpResponse<String> response : List.of(none, wrong, prefixOfToken)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(r.counts().requests()).isEqualTo(Map.of("unauthorized", 3L));
        assertThat(r.counts().events()).isEmpty();
        assertThat(onTopic()).isEmpty();
    }

    @Test
    void withTheDashboard_servesItsPagesWithoutTokenAndStillGuardsTheEndpoint() throws Exception {
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 1, (short) 1);
        try (PipelineMonitor monitor = PipelineMonitor.start(MonitorConfig.builder(KAFKA.bootstrapServers())
                .setFeedbackTopic(topic).build())) {
            runtime = ServeRuntime.start(config(KAFKA.bootstrapServers(), topic).build(),
                    List.of(new DashboardRoutes(monitor)));
            HttpResponse<String> page = get(runtime.uri().resolve(DashboardRoutes.PAGE));
            HttpResponse<String> metrics = get(runtime.uri().resolve(DashboardRoutes.METRICS));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("prefpipe_");
            assertThat(post(runtime.uri(), null, event("e-9", "r1").getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(401);
            assertThat(post(runtime.uri(), event("e-9", "r1")).statusCode()).isEqualTo(202);
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_oneEvent_is202AfterKafkaAcknowledgedIt() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic));

        HttpResponse<String> response = post(r.uri(), event("e-1", "r1"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(1);
        // 202 comes after the acknowledgement, so the event is readable at once
        assertThat(onTopic()).containsExactly(parsed(event("e-1", "r1")));
        assertThat(r.counts().requests()).isEqualTo(Map.of("accepted", 1L));
        assertThat(r.counts().events()).isEqualTo(Map.of("accepted", 1L));
    }

    @Test
    void post_array_is202WithEveryEventOnTheTopic() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic));
        String body = "[" + event("e-1", "r1") + "," + event("e-2", "r2") + "," + event("e-3", "r1") + "]";

        HttpResponse<String> response = post(r.uri(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(3);
        assertThat(onTopic()).extracting(FeedbackEvent::getEventId).containsExactly("e-1", "e-2", "e-3");
        assertThat(r.counts().events()).isEqualTo(Map.of("accepted", 3L));
    }

    @Test
    void post_invalidEvents_is400NamingIndexFieldAndReasonAndWritesNone() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic)
                .setValidationLimits(new ValidationLimits(16, 100, 1_000, 64, Duration.ofDays(1))));
        String body = "[" + event("e-1", "r1")
                + "," + event("e-2", "r9")
                + "," + event("e-3", "r1").replace("\"prompt\": \"How do I reset my password?\"", "\"prompt\": 7")
                + "," + event("e-4", "r1").replace("How do I reset my password?", "x".repeat(101))
                + ",\"not an event\""
                + "," + event("e-6", "r1").replace("\"kind\": \"HUMAN\"", "\"kind\": \"HUMAN\", \"mood\": \"ok\"")
                + "]";

        HttpResponse<String> response = post(r.uri(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode reply = JSON.readTree(response.body());
        assertThat(reply.get("error").asText()).isEqualTo("invalid_events");
        assertThat(reply.get("accepted").asInt()).isZero();
        List<JsonNode> errors = new ArrayList<>();
        reply.get("errors").forEach(errors::add);
        assertThat(errors)
                .extracting(e -> e.get("index").asInt(), e -> e.get("reason").asText(),
                        e -> e.get("field").isNull() ? null : e.get("field").asText())
                .containsExactly(
                        tuple(1, "unknown_response", "judgement.preferred"),
                        tuple(2, "wrong_type", "prompt"),
                        tuple(3, "too_large", "prompt"),
                        tuple(4, "wrong_type", null),
                        tuple(5, "unknown_field", "annotator.mood"));
        assertThat(errors).allSatisfy(e -> assertThat(e.get("message").asText()).isNotBlank());
        assertThat(onTopic()).as("all or nothing: the valid event is not written either").isEmpty();
        assertThat(r.counts().requests()).isEqualTo(Map.of("invalid", 1L));
        assertThat(r.counts().events()).isEqualTo(Map.of("invalid.unknown_response", 1L, "invalid.wrong_type", 2L,
                "invalid.too_large", 1L, "invalid.unknown_field", 1L, "refused_with_request", 1L));
    }

    @Test
    void post_notJsonOrEmptyArray_is400() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic));

        HttpResponse<String> notJson = post(r.uri(), "{\"event_id\": ");
        HttpResponse<String> empty = post(r.uri(), "[]");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).at("/errors/0/reason").asText()).isEqualTo("invalid_json");
        assertThat(JSON.readTree(notJson.body()).at("/errors/0/index").asInt()).isZero();
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("error").asText()).isEqualTo("no_events");
        assertThat(r.counts().requests()).isEqualTo(Map.of("invalid", 1L, "no_events", 1L));
    }

    @Test
    void post_bodyOverTheLimit_is413() throws Exception {
        ServeRuntime r = start(config(KAFKA.bootstrapServers(), topic).setMaxBodyBytes(4_096));
        String big = event("e-1", "r1").replace("How do I reset my password?", "y".repeat(5_000));
        String justUnder = event("e-2", "r1").replace("How do I reset my password?",
                "z".repeat(4_096 - event("e-2", "r1").length() + "How do I reset my password?".length()));

        HttpResponse<String> tooLarge = post(r.uri(), big);
        HttpResponse<String> atTheLimit = post(r.uri(), justUnder);

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooLarge.body()).get("error").asText()).isEqualTo("too_large");
        assertThat(justUnder.getBytes(StandardCharsets.UTF_8)).hasSize(4_096);
        assertThat(atTheLimit.statusCode()).as(atTheLimit.body()).isEqualTo(202);
        assertThat(onTopic()).extracting(FeedbackEvent::getEventId).containsExactly("e-2");
        assertThat(r.counts().requests()).isEqualTo(Map.of("too_large", 1L, "accepted", 1L));
    }

    @Test
    void post_kafkaDoesNotAcknowledge_is503NeverAccepted() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            Topics.ensure(broker.bootstrapServers(), List.of(topic), 1, (short) 1);
            runtime = ServeRuntime.start(config(broker.bootstrapServers(), topic)
                    .setAckTimeout(Duration.ofSeconds(2)).build());
            assertThat(post(runtime.uri(), event("e-1", "r1")).statusCode()).isEqualTo(202);
            broker.close();

            long start = System.nanoTime();
            HttpResponse<String> response = post(runtime.uri(), event("e-2", "r1"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("not_acknowledged");
            assertThat(runtime.counts().requests()).isEqualTo(Map.of("accepted", 1L, "not_acknowledged", 1L));
            assertThat(runtime.counts().events()).isEqualTo(Map.of("accepted", 1L, "not_acknowledged", 1L));
        }
    }

    @Test
    void start_missingTopic_isRefusedNamingIt() {
        assertThatThrownBy(() -> ServeRuntime.start(config(KAFKA.bootstrapServers(), "no-such-" + topic).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic 'no-such-" + topic + "' does not exist");
    }
}
