package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.PreferencePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once under faults, on a real broker and a local MiniCluster: each test breaks a run of the curation job
 * mid-stream and ends with {@link FaultScenario#assertExactlyOnce}.
 */
class FaultToleranceITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @Test
    void run_taskFailsMidStream_restartsFromCheckpointAndCountsEveryEventOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = FaultScenario.generate(7, 1_000, 100, 50);
        Topics.ensure(KAFKA.bootstrapServers(), List.of("feedback-" + suffix), 2, (short) 1);
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), "feedback-" + suffix, scenario.messages());
        Path snapshotDir = tmp.resolve("snapshot");
        Path marker = tmp.resolve("failed");
        CurationJobConfig config = config(suffix, snapshotDir).build();

        CurationReport report;
        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE,
                new FailOnceAfterCheckpoint(400, marker))) {
            report = run.awaitReport();
        }

        assertThat(marker).as("the injected failure happened").exists();
        assertThat(Files.readString(marker)).contains("checkpoint");
        scenario.assertExactlyOnce(report.counts(), snapshotDir, pairsTopic(config));
        assertThat(report.manifest().totalRows()).isEqualTo(scenario.comparisons());
    }

    static CurationJobConfig.Builder config(String suffix, Path snapshotDir) {
        return CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + suffix)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setAnnotatorsTopic("annotators-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .setParallelism(2)
                .setCheckpointInterval(Duration.ofMillis(300))
                .setRestartDelay(Duration.ofMillis(200))
                .setEmitAfterVotes(FaultScenario.VOTES)
                .setComparisonWindow(Duration.ofDays(1))
                .setMaxOutOfOrderness(Duration.ofDays(1))
                .setProgressInterval(Duration.ofSeconds(1));
    }

    private static List<PreferencePair> pairsTopic(CurationJobConfig config) throws Exception {
        return TestTopics.readCommitted(KAFKA.bootstrapServers(), config.pairsTopic(), PreferencePair.class);
    }
}
