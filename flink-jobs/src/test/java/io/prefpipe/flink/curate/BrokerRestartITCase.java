package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.prefpipe.schema.PreferencePair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker restarts (same ports, same log directory) while an idempotent producer sends feedback and an unbounded
 * curation job reads it: the producer retries into the restarted broker, the job fails over to its latest checkpoint
 * or its clients reconnect, and in the end every event is counted once and every pair committed once. Its own broker,
 * since restarting a shared one would disturb other tests.
 */
class BrokerRestartITCase {
    @TempDir
    Path tmp;

    @Test
    void start_brokerRestartsMidStream_nothingLostNothingDoubled() throws Exception {
        FaultScenario scenario = FaultScenario.generate(17, 1_000, 100, 50);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, List.of("feedback"), 2, (short) 1);
            Path snapshotDir = tmp.resolve("snapshot");
            CurationJobConfig config = CurationJobConfig.builder()
                    .setBootstrapServers(bootstrap)
                    .setBounded(false)
                    .setSnapshotDir(snapshotDir)
                    .setParallelism(2)
                    .setCheckpointInterval(Duration.ofMillis(300))
                    .setRestartAttempts(30)
                    .setRestartDelay(Duration.ofSeconds(1))
                    .setEmitAfterVotes(FaultScenario.VOTES)
                    .setComparisonWindow(Duration.ofDays(1))
                    .setMaxOutOfOrderness(Duration.ofDays(1))
                    .setProgressInterval(Duration.ofSeconds(1))
                    .build();

            try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE);
                    PacedProducer producer = new PacedProducer(bootstrap, "feedback", scenario.messages(),
                            Duration.ofMillis(2))) {
                FaultToleranceITCase.awaitEventsIn(run, scenario.messages().size() / 3);
                long ackedBeforeRestart = producer.acknowledged();
                broker.restart();
                assertThat(ackedBeforeRestart).isLessThan(scenario.messages().size());
                producer.awaitAll();
                FaultToleranceITCase.awaitEventsIn(run, scenario.messages().size());
                run.stopWithSavepoint(tmp.resolve("savepoints"));

                scenario.assertExactlyOnce(run.counts(), snapshotDir,
                        TestTopics.readCommitted(bootstrap, config.pairsTopic(), PreferencePair.class));
            }
        }
    }
}
