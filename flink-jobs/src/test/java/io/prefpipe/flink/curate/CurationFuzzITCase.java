package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.HostileFeedback.Fate;
import io.prefpipe.flink.curate.HostileFeedback.Message;
import io.prefpipe.flink.curate.HostileFeedback.Topic;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.DeadLetters;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand hostile and malformed messages among valid judgements, on both feedback topics, through a real broker
 * and the curation job on a MiniCluster: the job finishes, every bad message is in the dead-letter topic exactly once
 * with the reason and field expected for it, the filtered ones are counted by reason, the valid ones are curated into
 * exactly the expected pairs, and events in = curated + filtered + dead-lettered.
 */
class CurationFuzzITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @Test
    void run_tenThousandHostileMessagesAmongValidOnes_everyMessageMeetsItsFate() throws Exception {
        HostileFeedback feedback = HostileFeedback.generate(20261128L, 1_000, 10_000);
        List<Message> messages = feedback.messages();
        assertThat(messages.stream().filter(m -> !(m.fate() instanceof Fate.Curated)).count())
                .isGreaterThanOrEqualTo(10_000);
        // every kind of message the generator knows appears
        assertThat(messages.stream().map(Message::category).distinct().count()).as("kinds").isEqualTo(103);
        String suffix = UUID.randomUUID().toString();
        String avro = "feedback-" + suffix;
        String json = "feedback.json-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(avro, json), 1, (short) 1);
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), avro, feedback.values(Topic.AVRO));
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), json, feedback.values(Topic.JSON));
        Path snapshotDir = tmp.resolve("fuzz");
        CurationJobConfig config = CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic(avro)
                .setFeedbackJsonTopic(json)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .setCheckpointInterval(Duration.ofSeconds(1))
                .setEmitAfterVotes(3)
                .setComparisonWindow(Duration.ofMinutes(10))
                .setMaxOutOfOrderness(Duration.ofMinutes(1))
                .build();

        CurationReport report = CurationJob.run(config, CurationProgressListener.NONE);
        System.out.printf("fuzz: %d messages (%s), %s in %.1f s%n", messages.size(), report.eventsInByTopic(),
                report.counts(), report.elapsed().toMillis() / 1000.0);

        // the counts, by fate and reason
        Map<String, Long> deadByReason = new TreeMap<>();
        Map<String, Long> filteredByReason = new TreeMap<>();
        long curated = 0;
        for (Message m : messages) {
            if (m.fate() instanceof Fate.DeadLettered d) {
                deadByReason.merge(d.reason(), 1L, Long::sum);
            } else if (m.fate() instanceof Fate.Filtered f) {
                filteredByReason.merge(f.reason(), 1L, Long::sum);
            } else {
                curated++;
            }
        }
        assertThat(report.eventsIn()).isEqualTo(messages.size());
        assertThat(report.eventsInByTopic()).containsExactlyInAnyOrderEntriesOf(Map.of(
                avro, (long) feedback.values(Topic.AVRO).size(), json, (long) feedback.values(Topic.JSON).size()));
        assertThat(report.deadLettered()).isEqualTo(deadByReason);
        assertThat(report.filtered()).isEqualTo(filteredByReason);
        assertThat(report.curatedEvents()).isEqualTo(curated).isEqualTo(3_000);
        assertThat(report.counts().reconciles()).isTrue();

        // every dead letter matched to the one message it stands for by its source position, and holding it
        Map<String, Message> bySource = new HashMap<>();
        Map<Topic, Long> offsets = new HashMap<>();
        for (Message m : messages) {
            long offset = offsets.merge(m.topic(), 1L, Long::sum) - 1;
            if (m.fate() instanceof Fate.DeadLettered) {
                bySource.put(topicName(m.topic(), avro, json) + "@" + offset, m);
            }
        }
        List<String> mismatches = new ArrayList<>();
        AvroCodec<DeadLetter> dlqCodec = new AvroCodec<>(DeadLetter.class);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(),
                config.deadLetterTopic());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetter d = dlqCodec.decode(r.value());
            assertThat(d.getMessage()).isNotBlank();
            assertThat(d.getStage()).isEqualTo("curate");
            Message m = bySource.remove(d.getSourceTopic() + "@" + d.getSourceOffset());
            if (m == null) {
                mismatches.add("unexpected or repeated dead letter " + d.getSourceTopic() + "@" + d.getSourceOffset()
                        + ": " + d.getReason() + " " + d.getField());
                continue;
            }
            byte[] sent = m.value() == null ? new byte[0] : m.value();
            byte[] kept = Arrays.copyOf(sent, Math.min(sent.length, DeadLetters.MAX_PAYLOAD_BYTES));
            if (!Arrays.equals(bytes(d.getPayload()), kept)) {
                mismatches.add(m.category() + ": payload differs from the message sent");
            }
            Fate.DeadLettered expected = (Fate.DeadLettered) m.fate();
            if (!expected.reason().equals(d.getReason()) || !Objects.equals(expected.field(), d.getField())) {
                mismatches.add(m.category() + ": expected " + expected.reason() + " at " + expected.field() + ", got "
                        + d.getReason() + " at " + d.getField() + " (" + d.getMessage() + ")");
            }
        }
        bySource.values().forEach(m -> mismatches.add(m.category() + ": no dead letter"));
        assertThat(mismatches).isEmpty();
        assertThat(records).hasSize((int) deadByReason.values().stream().mapToLong(Long::longValue).sum());

        // the valid judgements became exactly the expected pairs
        assertThat(TestSnapshots.readPairs(snapshotDir))
                .extracting(p -> new HostileFeedback.ExpectedPair(p.getComparisonId(), p.getChosenId(),
                        p.getRejectedId(), p.getVoteCount()))
                .containsExactlyInAnyOrderElementsOf(feedback.expectedPairs());
        assertThat(report.pairs()).isEqualTo(feedback.expectedPairs().size());
        assertThat(TestTopics.readCommitted(KAFKA.bootstrapServers(), config.pairsTopic(), PreferencePair.class))
                .hasSize(feedback.expectedPairs().size());
    }

    private static String topicName(Topic topic, String avro, String json) {
        return topic == Topic.AVRO ? avro : json;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
