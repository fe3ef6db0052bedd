package io.prefpipe.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackProducerITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private String bootstrap;

    @BeforeAll
    void connect() {
        bootstrap = KAFKA.bootstrapServers();
    }

    private FeedbackProducerConfig config(String suffix) {
        String feedback = "feedback-" + suffix;
        String dlq = "feedback.dlq-" + suffix;
        Topics.ensure(bootstrap, List.of(feedback, dlq), 3, (short) 1);
        return FeedbackProducerConfig.builder().setBootstrapServers(bootstrap).setFeedbackTopic(feedback)
                .setDeadLetterTopic(dlq).build();
    }

    @Test
    void send_eventsAndDeadLetters_decodeBackFromTheirTopics() throws Exception {
        FeedbackProducerConfig config = config(UUID.randomUUID().toString());
        List<FeedbackEvent> events = new SyntheticFeedback(SyntheticFeedbackConfig.builder(11)
                .setComparisons(50).setJudgements(200).build()).stream().toList();
        byte[] line = "{\"not\": \"an event\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter dead = DeadLetters.ofLine(line, new Violation(RejectReason.UNKNOWN_FIELD, "not", "unknown field 'not'"),
                "in.jsonl", 7, Instant.parse("2026-11-28T10:00:00Z"));
        try (FeedbackProducer producer = new FeedbackProducer(config)) {
            events.forEach(producer::send);
            producer.sendDeadLetter(dead);
            producer.flush();
            assertThat(producer.eventsDelivered()).isEqualTo(200);
            assertThat(producer.deadLettersDelivered()).isEqualTo(1);
        }

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestTopics.readCommitted(bootstrap, config.feedbackTopic());
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        Map<String, Integer> partitionOfComparison = new HashMap<>();
        Map<String, FeedbackEvent> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FeedbackEvent e = codec.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.getComparisonId());
            assertThat(partitionOfComparison.computeIfAbsent(e.getComparisonId(), c -> r.partition()))
                    .as("all votes on %s share a partition", e.getComparisonId()).isEqualTo(r.partition());
            byId.put(e.getEventId(), e);
        }
        assertThat(records).hasSize(200);
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(3);
        for (FeedbackEvent e : events) {
            assertThat(byId.get(e.getEventId())).isEqualTo(e);
        }

        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTestTopics.readCommitted(bootstrap, config.deadLetterTopic());
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).key()).isNull();
        DeadLetter back = new AvroCodec<>(DeadLetter.class).decode(dlq.get(0).value());
        assertThat(back).isEqualTo(dead);
        assertThat(back.getReason()).isEqualTo("unknown_field");
        assertThat(back.getField()).isEqualTo("not");
        assertThat(back.getStage()).isEqualTo("ingest");
        assertThat(back.getSourceLine()).isEqualTo(7L);
        assertThat(StandardCharsets.UTF_8.decode(back.getPayload()).toString()).isEqualTo("{\"not\": \"an event\"}");
    }

    @Test
    void send_recordTheBrokerRefuses_failsTheNextCallOnTheCallersThread() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FeedbackProducerConfig config = config(suffix);
        String small = "small-" + suffix;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
                    .all().get();
        }
        FeedbackProducerConfig tooSmall = FeedbackProducerConfig.builder().setBootstrapServers(bootstrap)
                .setFeedbackTopic(small).setDeadLetterTopic(config.deadLetterTopic())
                .setProducerProperty("compression.type", "none").build();
        FeedbackEvent big = new SyntheticFeedback(SyntheticFeedbackConfig.builder(1).setComparisons(1)
                .setJudgements(1).build()).iterator().next();
        big.setPrompt("x".repeat(10_000));

        FeedbackProducer producer = new FeedbackProducer(tooSmall);
        producer.send(big);
        assertThatThrownBy(producer::flush).isInstanceOf(SendFailedException.class)
                .hasCauseInstanceOf(RecordTooLargeException.class)
                .satisfies(e -> assertThat(((SendFailedException) e).retriable()).isFalse());
        assertThatThrownBy(() -> producer.send(big)).isInstanceOf(SendFailedException.class)
                .hasMessageContaining("an earlier send");
        producer.close();
        assertThatThrownBy(() -> producer.send(big)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        FeedbackProducer unobserved = new FeedbackProducer(tooSmall);
        unobserved.send(big);
        assertThatThrownBy(() -> unobserved.close(Duration.ofSeconds(20))).isInstanceOf(SendFailedException.class)
                .hasCauseInstanceOf(RecordTooLargeException.class);
        unobserved.close();
    }

    /** Without the wait in {@link Topics#ensure}, about half of these runs lost their first batch (KAFKA-15591). */
    @Test
    void ensure_thenProduceAtOnce_deliversEveryRecord() {
        List<FeedbackEvent> events = new SyntheticFeedback(SyntheticFeedbackConfig.builder(2).setComparisons(300)
                .setJudgements(600).build()).stream().toList();
        for (int i = 0; i < 8; i++) {
            FeedbackProducerConfig config = FeedbackProducerConfig.builder().setBootstrapServers(bootstrap)
                    .setFeedbackTopic("race-" + i + "-" + UUID.randomUUID()).setDeadLetterTopic("race-dlq-" + i)
                    .setProducerProperty("request.timeout.ms", "2000").setProducerProperty("delivery.timeout.ms", "4000")
                    .build();
            Topics.ensure(bootstrap, List.of(config.feedbackTopic(), config.deadLetterTopic()), 2, (short) 1);
            try (FeedbackProducer producer = new FeedbackProducer(config)) {
                events.forEach(producer::send);
                producer.flush();
                assertThat(producer.eventsDelivered()).isEqualTo(600);
            }
        }
    }
}
