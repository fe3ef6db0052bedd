package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prefpipe.ingestion.file.FileIngestor;
import io.prefpipe.ingestion.file.IngestOptions;
import io.prefpipe.ingestion.file.IngestReport;
import io.prefpipe.ingestion.file.ProgressListener;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real HH-RLHF harmless-base test split (read in place from {@code ../shared/data}) through the whole intake:
 * file ingestion into a real broker, then the curation job. Every line is accounted for: 9 dirty lines are
 * dead-lettered at ingestion with their reason, line and field, the other 2,303 are curated into one pair each, and
 * what ingestion/HH-RLHF.md and the README say about the file is what happens.
 */
class HhRlhfCurationITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @Test
    void ingestThenCurate_realFile_everyLineDeadLetteredOrCurated() throws Exception {
        Path file = Path.of("").toAbsolutePath().getParent().getParent()
                .resolve("shared/data/hh-rlhf/harmless-base-test.jsonl.gz");
        assumeTrue(Files.isRegularFile(file), "assumes the shared data set " + file
                + " exists (the real HH-RLHF file, read in place and never copied into the repository)");
        String suffix = UUID.randomUUID().toString();
        FeedbackProducerConfig producerConfig = FeedbackProducerConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + suffix)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .build();
        Topics.ensure(KAFKA.bootstrapServers(), List.of(producerConfig.feedbackTopic(),
                producerConfig.deadLetterTopic()), 1, (short) 1);

        IngestReport ingest;
        try (FeedbackProducer producer = new FeedbackProducer(producerConfig)) {
            ingest = new FileIngestor(producer).run(IngestOptions.builder().setInput(file)
                    .setFormat(FeedbackFormat.HH_RLHF).setEventTime(Instant.parse("2022-04-12T00:00:00Z")).build(),
                    ProgressListener.NONE);
        }
        Path snapshotDir = tmp.resolve("hh-rlhf");
        CurationReport curation = CurationJob.run(CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic(producerConfig.feedbackTopic())
                .setFeedbackJsonTopic("feedback.json-" + suffix)
                .setDeadLetterTopic(producerConfig.deadLetterTopic())
                .setPairsTopic("pairs-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .build(), CurationProgressListener.NONE);

        // ingestion: 9 dirty lines dead-lettered by reason
        assertThat(ingest.linesRead()).isEqualTo(2312);
        assertThat(ingest.produced()).isEqualTo(2303);
        assertThat(ingest.deadLettersByReason()).containsExactlyInAnyOrderEntriesOf(
                Map.of("empty_text", 4L, "unparseable_dialogue", 5L));
        // curation: nothing else is dirty; each comparison has its one judgement and becomes one pair
        assertThat(curation.eventsIn()).isEqualTo(2303);
        assertThat(curation.deadLettered()).isEmpty();
        assertThat(curation.filtered()).isEmpty();
        assertThat(curation.curatedEvents()).isEqualTo(2303);
        assertThat(curation.pairs()).isEqualTo(2303);
        assertThat(curation.counts().reconciles()).isTrue();
        // the whole intake reconciles to the line
        assertThat(ingest.linesRead()).isEqualTo(curation.curatedEvents() + curation.counts().filteredTotal()
                + curation.counts().deadLetteredTotal() + ingest.deadLettered());

        // the dead-letter topic holds exactly the 9 lines, with line, field and the original line as payload
        List<DeadLetter> dead = TestTopics.readCommitted(KAFKA.bootstrapServers(), producerConfig.deadLetterTopic(),
                DeadLetter.class);
        assertThat(dead)
                .extracting(DeadLetter::getSourceLine, DeadLetter::getReason, DeadLetter::getField,
                        DeadLetter::getStage)
                .containsExactlyInAnyOrder(
                        tuple(87L, "empty_text", "chosen", "ingest"),
                        tuple(517L, "empty_text", "chosen", "ingest"),
                        tuple(926L, "empty_text", "chosen", "ingest"),
                        tuple(1104L, "empty_text", "chosen", "ingest"),
                        tuple(1255L, "unparseable_dialogue", "chosen", "ingest"),
                        tuple(1689L, "unparseable_dialogue", "chosen", "ingest"),
                        tuple(1951L, "unparseable_dialogue", "rejected", "ingest"),
                        tuple(1953L, "unparseable_dialogue", "chosen", "ingest"),
                        tuple(2037L, "unparseable_dialogue", "chosen", "ingest"));
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getSourceFile()).endsWith("harmless-base-test.jsonl.gz");
            assertThat(d.getPayload().remaining()).isPositive();
        });

        // near-identical replies (they differ in one punctuation mark) are not identical, so they are curated
        List<PreferencePair> pairs = TestSnapshots.readPairs(snapshotDir);
        assertThat(pairs).hasSize(2303);
        assertThat(pairs).filteredOn(p -> p.getChosen().replaceAll("\\W", "").equalsIgnoreCase(
                        p.getRejected().replaceAll("\\W", "")))
                .extracting(p -> p.getChosen() + " | " + p.getRejected())
                .containsExactlyInAnyOrder("You\u2019re welcome. | You\u2019re welcome!",
                        "You're welcome! | You're welcome.", "You\u2019re welcome! | You\u2019re welcome.");
    }
}
