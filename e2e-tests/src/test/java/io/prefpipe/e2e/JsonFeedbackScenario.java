package io.prefpipe.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.schema.Response;
import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.groups.Tuple;

/**
 * Feedback that arrives as JSON from a Kafka client prefpipe did not write, mixed with Avro feedback from our own
 * producer, curated by the job into pairs. Shared by the tests of each client, so every client is held to the same
 * outcome.
 *
 * <p>12 comparisons, each with three unanimous votes: two as JSON lines through the client, the third as Avro. The
 * client also sends a redelivery of one JSON vote, a line that is not JSON, an event with an unknown field and one
 * preferring a response it does not have. Prompts carry non-ASCII text, which must survive the client unchanged.
 */
final class JsonFeedbackScenario {
    static final int COMPARISONS = 12;
    private static final Instant T0 = Instant.parse("2026-01-15T09:00:00Z");

    /** A Kafka client that sends each line as one message, keyed. */
    @FunctionalInterface
    interface JsonClient {
        void send(String bootstrap, String topic, List<KeyedLine> lines) throws Exception;
    }

    /** One message: the key and the JSON value, without tabs or line breaks. */
    record KeyedLine(String key, String json) {}

    private JsonFeedbackScenario() {}

    /** Runs the scenario with {@code client} against the broker at {@code bootstrap} and checks every outcome. */
    static CurationReport runAndVerify(String bootstrap, Path out, JsonClient client) throws Exception {
        String suffix = UUID.randomUUID().toString();
        String avroTopic = "feedback-" + suffix;
        String jsonTopic = "feedback.json-" + suffix;
        String dlqTopic = "feedback.dlq-" + suffix;
        Topics.ensure(bootstrap, List.of(avroTopic, jsonTopic, dlqTopic), 1, (short) 1);

        PrefpipeJsonWriter writer = new PrefpipeJsonWriter();
        List<KeyedLine> lines = new ArrayList<>();
        List<FeedbackEvent> avro = new ArrayList<>();
        List<Tuple> expectedPairs = new ArrayList<>();
        for (int c = 0; c < COMPARISONS; c++) {
            String preferred = c % 2 == 0 ? "r1" : "r2";
            for (int v = 0; v < 3; v++) {
                FeedbackEvent e = vote(c, v, preferred);
                if (v < 2) {
                    lines.add(new KeyedLine(e.getComparisonId(), writer.write(e)));
                } else {
                    avro.add(e);
                }
            }
            expectedPairs.add(tuple("cmp-" + c, preferred, preferred.equals("r1") ? "r2" : "r1", 3));
        }
        String valid = writer.write(vote(0, 9, "r1"));
        lines.add(lines.get(0));
        lines.add(new KeyedLine("cmp-0", "{\"event_id\": \"cut-off"));
        lines.add(new KeyedLine("cmp-0", valid.replace("\"kind\":\"HUMAN\"", "\"kind\":\"HUMAN\",\"team\":\"x\"")));
        lines.add(new KeyedLine("cmp-0", valid.replace("\"preferred\":\"r1\"", "\"preferred\":\"r3\"")));

        client.send(bootstrap, jsonTopic, lines);
        try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(bootstrap).setFeedbackTopic(avroTopic).setDeadLetterTopic(dlqTopic).build())) {
            avro.forEach(producer::send);
            producer.flush();
        }

        Path snapshotDir = out.resolve("snapshot-" + suffix);
        CurationReport report = CurationJob.run(CurationJobConfig.builder()
                .setBootstrapServers(bootstrap)
                .setFeedbackTopic(avroTopic)
                .setFeedbackJsonTopic(jsonTopic)
                .setDeadLetterTopic(dlqTopic)
                .setPairsTopic("pairs-" + suffix)
                .setAnnotatorsTopic("annotators-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .setCheckpointInterval(Duration.ofMillis(500))
                .setEmitAfterVotes(10)
                .setComparisonWindow(Duration.ofDays(1))
                .build(), CurationProgressListener.NONE);

        assertThat(report.eventsInByTopic()).as("every message of both topics is read")
                .containsExactlyInAnyOrderEntriesOf(Map.of(avroTopic, (long) avro.size(), jsonTopic,
                        (long) lines.size()));
        assertThat(report.eventsIn()).isEqualTo(COMPARISONS * 3 + 4);
        assertThat(report.deadLettered()).containsExactlyInAnyOrderEntriesOf(
                Map.of("invalid_json", 1L, "unknown_field", 1L, "unknown_response", 1L));
        assertThat(report.filtered()).containsExactlyInAnyOrderEntriesOf(Map.of("duplicate", 1L));
        assertThat(report.curatedEvents()).isEqualTo(COMPARISONS * 3);
        assertThat(report.counts().reconciles()).as("events in = curated + filtered + dead-lettered").isTrue();

        SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
        List<PreferencePair> pairs = PipelineScenario.readPairs(manifest.resolveFiles(snapshotDir));
        assertThat(pairs)
                .extracting(PreferencePair::getComparisonId, PreferencePair::getChosenId,
                        PreferencePair::getRejectedId, PreferencePair::getVoteCount)
                .containsExactlyInAnyOrderElementsOf(expectedPairs);
        assertThat(pairs).allSatisfy(p -> {
            int c = Integer.parseInt(p.getComparisonId().substring("cmp-".length()));
            assertThat(p.getPrompt()).isEqualTo(prompt(c));
            assertThat(p.getChosen()).isEqualTo(text(c, p.getChosenId()));
        });
        return report;
    }

    private static String prompt(int c) {
        return "Où est la gare n°" + c + " — à gauche ou à droite? 駅";
    }

    private static String text(int c, String responseId) {
        return responseId.equals("r1")
                ? "À gauche, après le pont " + c + "."
                : "Tout droit, puis à droite " + c + ".";
    }

    private static FeedbackEvent vote(int c, int v, String preferred) {
        return FeedbackEvent.newBuilder()
                .setEventId("cmp-" + c + "-v" + v)
                .setComparisonId("cmp-" + c)
                .setPrompt(prompt(c))
                .setResponses(List.of(
                        Response.newBuilder().setId("r1").setText(text(c, "r1")).build(),
                        Response.newBuilder().setId("r2").setText(text(c, "r2")).build()))
                .setJudgement(PairwiseChoice.newBuilder().setPreferred(preferred).build())
                .setAnnotator(Annotator.newBuilder().setId("annotator-" + v).setKind(AnnotatorKind.HUMAN).build())
                .setEventTime(T0.plusSeconds(60L * c + v))
                .build();
    }
}
