package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.flink.fs.ProcessFileLockHolder;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.flink.snapshot.CheckpointLedger.Entry;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Cuts on a file system of another scheme, which has neither hard links nor java.nio access: the cut's files are
 * copies, its manifest comes last, and everything is read back through Flink's API; and how cuts of the same folder as
 * a local one take turns. (SnapshotCutITCase cuts a running job's local folder.)
 */
class SnapshotCutterTest {
    private final String folder = "snapshot-cutter-test/" + UUID.randomUUID() + "/live";
    private final Path jobDir = new Path(ForeignSchemeFileSystem.uri(folder));
    private final java.nio.file.Path local = ForeignSchemeFileSystem.root().resolve(folder);
    private final SnapshotCutter cutter = new SnapshotCutter(
            Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));

    @Test
    void cut_onAnotherFileSystem_copiesTheCommittedFilesAndWritesTheManifestThroughFlink() throws Exception {
        Files.createDirectories(local);
        TestPairs.write(local.resolve("pairs-a-0.parquet"), TestPairs.pairs(3));
        TestPairs.write(local.resolve(".pairs-a-1.parquet.inprogress.7"), TestPairs.pairs(1));
        SourcePlans.write(jobDir, new SourcePlan(List.of("feedback"), (short) 1,
                List.of(new OffsetRange("feedback", 0, 10, 100))));
        checkpoint(5, 4, 3);

        SnapshotManifest cut = cutter.cut(jobDir, "c1").orElseThrow();

        assertThat(cut.files()).extracting(SnapshotManifest.SnapshotFile::path).containsExactly("pairs-a-0.parquet");
        assertThat(cut.counts().pairs()).isEqualTo(3);
        assertThat(cut.counts().reconciles()).isTrue();
        assertThat(cut.sources()).containsExactly(new OffsetRange("feedback", 0, 10, 14));
        assertThat(cut.properties()).containsEntry(SnapshotCutter.CHECKPOINT_PROPERTY, "5");
        Path cutDir = new Path(new Path(jobDir, SnapshotCutter.CUTS), "c1");
        assertThat(FlinkFiles.sha256(new Path(cutDir, "pairs-a-0.parquet"))).isEqualTo(cut.files().get(0).sha256());
        assertThat(FlinkFiles.read(new Path(cutDir, SnapshotManifest.FILE_NAME), SnapshotManifest::fromJson))
                .isEqualTo(cut);
        assertThat(SnapshotCutter.cuts(jobDir)).containsExactly(cut);
        assertThat(cutter.cut(jobDir, "c2")).as("no checkpoint since the previous cut").isEmpty();
        assertThatThrownBy(() -> cutter.cut(jobDir, "c1")).isInstanceOf(IOException.class)
                .hasMessageContaining("a cut named c1 exists already");
    }

    @Test
    void cut_committedFilesBehindTheCheckpoint_failsAfterTheTimeout() throws Exception {
        Files.createDirectories(local);
        TestPairs.write(local.resolve("pairs-a-0.parquet"), TestPairs.pairs(2));
        checkpoint(3, 3, 3);

        assertThatThrownBy(() -> new SnapshotCutter(Clock.systemUTC(), Duration.ofMillis(300)).cut(jobDir, "c1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("hold 2 pairs, but checkpoint 3 counted 3");
        assertThat(SnapshotCutter.cuts(jobDir)).isEmpty();
    }

    @Test
    void cut_readsOnlyFilesNoCutListsYet() throws Exception {
        Files.createDirectories(local);
        TestPairs.write(local.resolve("pairs-a-0.parquet"), TestPairs.pairs(3));
        checkpoint(5, 4, 3);
        cutter.cut(jobDir, "c1").orElseThrow();
        // the job's copy of a file cut before becomes unreadable; a cut that read it again would fail on it
        Files.write(local.resolve("pairs-a-0.parquet"), new byte[(int) Files.size(local.resolve("pairs-a-0.parquet"))]);
        TestPairs.write(local.resolve("pairs-a-1.parquet"), TestPairs.pairs(2));
        checkpoint(6, 7, 5);

        SnapshotManifest second = cutter.cut(jobDir, "c2").orElseThrow();

        assertThat(second.files()).extracting(SnapshotManifest.SnapshotFile::path)
                .containsExactly("pairs-a-1.parquet");
        assertThat(second.counts().pairs()).isEqualTo(2);
        assertThat(second.counts().reconciles()).isTrue();
    }

    @Test
    void cut_snapshotInCutsNotCutFromTheJob_isRefusedNamingIt() throws Exception {
        java.nio.file.Path foreign = Files.createDirectories(local.resolve("cuts/mine"));
        new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, "mine", Instant.parse("2026-03-01T00:00:00Z"), "mv",
                List.of(), List.of(), new SnapshotManifest.Counts(0, 0, 0, Map.of(), Map.of()), Map.of())
                .write(foreign);
        checkpoint(5, 4, 3);

        assertThatThrownBy(() -> cutter.cut(jobDir, "c1")).isInstanceOf(IOException.class)
                .hasMessageEndingWith("/cuts/mine holds snapshot mine, which was not cut from this job (its manifest"
                        + " has no cut.checkpoint-id); move it out of cuts/");
    }

    /**
     * Two processes cutting one local job folder take turns: while another process holds the cuts' lock, a cut says it
     * waits, and once it may go on it starts from the cut the other made meanwhile, so the two never list the same
     * pairs. (The other process's cut is made here through the foreign scheme, which maps onto the same folder and
     * takes no lock, as an object store's cut would not.)
     */
    @Test
    void cut_ofALocalFolderWhileAnotherProcessCutsIt_waitsThenCutsOnlyWhatCameAfter() throws Exception {
        Files.createDirectories(local);
        TestPairs.write(local.resolve("pairs-a-0.parquet"), TestPairs.pairs(3));
        checkpoint(5, 4, 3);
        CompletableFuture<Optional<SnapshotManifest>> waiting;
        try (ProcessFileLockHolder.OtherProcess other = ProcessFileLockHolder.holding(
                local.resolve(SnapshotCutter.CUTS).resolve(SnapshotCutter.LOCK_FILE))) {
            CountDownLatch toldToWait = new CountDownLatch(1);
            SnapshotCutter localCutter = new SnapshotCutter(Clock.systemUTC(), Duration.ofSeconds(5),
                    toldToWait::countDown);
            waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return localCutter.cut(new Path(local.toUri()), "c2");
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            assertThat(toldToWait.await(30, TimeUnit.SECONDS)).as("told it waits").isTrue();
            cutter.cut(jobDir, "c1").orElseThrow();
            TestPairs.write(local.resolve("pairs-a-1.parquet"), TestPairs.pairs(2));
            checkpoint(6, 7, 5);
            assertThat(waiting).as("still waiting while the other process holds the lock").isNotDone();
        }

        SnapshotManifest second = waiting.get(1, TimeUnit.MINUTES).orElseThrow();

        assertThat(second.files()).extracting(SnapshotManifest.SnapshotFile::path)
                .containsExactly("pairs-a-1.parquet");
        assertThat(second.properties()).containsEntry(SnapshotCutter.PREVIOUS_PROPERTY, "c1");
        assertThat(second.counts().pairs()).isEqualTo(2);
        assertThat(SnapshotCutter.cuts(jobDir)).extracting(SnapshotManifest::snapshotId).containsExactly("c1", "c2");
    }

    @Test
    void cut_ofALocalFolderThisProcessIsCutting_isRefused() throws Exception {
        Files.createDirectories(local);
        checkpoint(5, 4, 3);
        try (ProcessFileLock cutting = ProcessFileLock.exclusive(
                local.resolve(SnapshotCutter.CUTS).resolve(SnapshotCutter.LOCK_FILE), () -> { })) {
            assertThatThrownBy(() -> cutter.cut(new Path(local.toUri()), "c1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this process is cutting " + local + " already");
        }
        assertThat(SnapshotCutter.cuts(jobDir)).isEmpty();
    }

    /** A completed checkpoint in the job's ledger: {@code events} read from feedback/0, all curated into pairs. */
    private void checkpoint(long id, long events, long pairs) throws Exception {
        Path ledger = new Path(jobDir, CheckpointLedger.FOLDER);
        CheckpointLedger.write(ledger, new Entry("decode-validate", 0, 1, id,
                Map.of(FateCounters.EVENTS_IN, events), Map.of("feedback/0", 10 + events), Map.of()));
        CheckpointLedger.write(ledger, new Entry("dedupe", 0, 1, id, Map.of(), Map.of(), Map.of()));
        CheckpointLedger.write(ledger, new Entry("curate", 0, 1, id,
                Map.of(FateCounters.CURATED_EVENTS, events, FateCounters.PAIRS, pairs), Map.of(), Map.of()));
        CheckpointLedger.write(ledger, new Entry("estimate-annotators", 0, 1, id, Map.of(), Map.of(),
                Map.of(EstimateAnnotators.AGGREGATOR_PROPERTY, "mv")));
        CheckpointLedger.markComplete(ledger, id);
    }
}
