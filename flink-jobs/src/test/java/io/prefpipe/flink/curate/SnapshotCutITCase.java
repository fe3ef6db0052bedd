package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots cut from a running unbounded job: consecutive, disjoint, each reconciled, together the whole stream. */
class SnapshotCutITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @Test
    void cut_runningJob_cutsConsecutiveReconciledSnapshotsThatTogetherHoldEveryPairOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = FaultScenario.generate(19, 1_000, 100, 50);
        String feedback = "feedback-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(feedback), 2, (short) 1);
        Path jobDir = tmp.resolve("live");
        CurationJobConfig config = CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic(feedback)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setAnnotatorsTopic("annotators-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setBounded(false)
                .setSnapshotDir(jobDir)
                .setParallelism(2)
                .setCheckpointInterval(Duration.ofMillis(300))
                .setEmitAfterVotes(FaultScenario.VOTES)
                .setComparisonWindow(Duration.ofDays(1))
                .setMaxOutOfOrderness(Duration.ofDays(1))
                .setProgressInterval(Duration.ofSeconds(1))
                .build();
        SnapshotCutter cutter = new SnapshotCutter(Clock.systemUTC(), Duration.ofMinutes(1));
        List<SnapshotManifest> cuts = new ArrayList<>();

        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE);
                PacedProducer producer = new PacedProducer(KAFKA.bootstrapServers(), feedback, scenario.messages(),
                        Duration.ofMillis(2))) {
            FaultToleranceITCase.awaitEventsIn(run, scenario.messages().size() / 2);
            // the running counts are ahead of the ledger: wait for a completed checkpoint that read something
            Counts beforeFirst = SnapshotCutter.pending(jobDir);
            for (long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos(); beforeFirst.eventsIn() == 0; ) {
                assertThat(System.nanoTime()).as("waiting for a completed checkpoint").isLessThan(deadline);
                Thread.sleep(100);
                beforeFirst = SnapshotCutter.pending(jobDir);
            }
            assertThat(beforeFirst.reconciles()).as("pending %s", beforeFirst).isTrue();
            cuts.add(cutter.cut(jobDir, "first").orElseThrow());
            assertThat(cuts.get(0).counts().pairs()).as("the cut holds at least what was pending before it")
                    .isGreaterThanOrEqualTo(beforeFirst.pairs());
            assertThat(cuts.get(0).counts().eventsIn()).isLessThan(scenario.messages().size());
            producer.awaitAll();
            FaultToleranceITCase.awaitEventsIn(run, scenario.messages().size());
            // cut until a completed checkpoint covers every event
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (cuts.stream().mapToLong(c -> c.counts().eventsIn()).sum() < scenario.messages().size()) {
                assertThat(System.nanoTime()).as("cuts so far %s", cuts).isLessThan(deadline);
                Optional<SnapshotManifest> next = cutter.cut(jobDir, "cut-" + cuts.size());
                next.ifPresent(cuts::add);
                Thread.sleep(300);
            }
            assertThat(cutter.cut(jobDir, "nothing-new")).as("nothing new since the last cut").isEmpty();
            Counts pending = SnapshotCutter.pending(jobDir);
            assertThat(pending.pairs()).as("nothing pending after the last cut").isZero();
            assertThat(pending.eventsIn()).isZero();
            assertThat(pending.openAtStart()).isEqualTo(cuts.get(cuts.size() - 1).counts().openAtEnd());
            run.cancel();
        }

        assertThat(SnapshotCutter.cuts(jobDir)).isEqualTo(cuts);
        List<PreferencePair> pairs = new ArrayList<>();
        Map<String, Long> filtered = new HashMap<>();
        Map<String, Long> dead = new HashMap<>();
        long openAtEnd = 0;
        long in = 0;
        long curated = 0;
        long pairCount = 0;
        for (int i = 0; i < cuts.size(); i++) {
            SnapshotManifest cut = cuts.get(i);
            Path dir = jobDir.resolve(SnapshotCutter.CUTS).resolve(cut.snapshotId());
            assertThat(cut.counts().reconciles()).as("cut %s reconciles: %s", i, cut.counts()).isTrue();
            assertThat(cut.files()).isEqualTo(SnapshotFiles.committed(dir));
            assertThat(cut.totalRows()).isEqualTo(cut.counts().pairs());
            assertThat(cut.properties()).containsKeys(SnapshotCutter.CHECKPOINT_PROPERTY,
                    SnapshotCutter.SCHEMA_PROPERTY);
            assertThat(cut.counts().openAtStart()).as("cut %s starts where the previous ended", i)
                    .isEqualTo(openAtEnd);
            openAtEnd = cut.counts().openAtEnd();
            if (i > 0) {
                assertThat(cut.properties()).containsEntry(SnapshotCutter.PREVIOUS_PROPERTY,
                        cuts.get(i - 1).snapshotId());
                assertThat(cut.sources()).extracting(OffsetRange::startOffset).containsExactlyElementsOf(
                        cuts.get(i - 1).sources().stream().map(OffsetRange::endOffset).toList());
            }
            for (SnapshotManifest.SnapshotFile f : cut.files()) {
                pairs.addAll(TestPairs.read(dir.resolve(f.path())));
            }
            Counts c = cut.counts();
            in += c.eventsIn();
            curated += c.curatedEvents();
            pairCount += c.pairs();
            c.filtered().forEach((k, v) -> filtered.merge(k, v, Long::sum));
            c.deadLettered().forEach((k, v) -> dead.merge(k, v, Long::sum));
        }
        assertThat(cuts.get(0).sources()).extracting(OffsetRange::startOffset).containsOnly(0L);
        assertThat(cuts.get(cuts.size() - 1).sources().stream().mapToLong(OffsetRange::endOffset).sum())
                .isEqualTo(scenario.messages().size());
        scenario.assertExactlyOnce(new Counts(in, curated, pairCount, filtered, dead, 0, openAtEnd), jobDir,
                TestTopics.readCommitted(KAFKA.bootstrapServers(), config.pairsTopic(), PreferencePair.class));
        assertThat(pairs).extracting(PreferencePair::getPairId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(scenario.expectedPairIds());
    }
}
