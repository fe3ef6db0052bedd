package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import io.prefpipe.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SnapshotCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void folderFor_mirrorsSchemeBucketAndPath() {
        Path folder = new SnapshotCache(dir).folderFor(URI.create("s3://bucket/snapshots/live/cuts/c1"));

        assertThat(folder).isEqualTo(dir.resolve("snapshots/s3/bucket/snapshots/live/cuts/c1").toAbsolutePath());
    }

    @Test
    void folderFor_otherBucketSamePath_otherFolder() {
        SnapshotCache cache = new SnapshotCache(dir);

        assertThat(cache.folderFor(URI.create("s3://a/cuts/c1"))).isNotEqualTo(cache.folderFor(URI.create("s3://b/cuts/c1")));
    }

    @Test
    void folderFor_pathLeavingTheCache_refused() {
        assertThatThrownBy(() -> new SnapshotCache(dir).folderFor(URI.create("s3://b/../../../etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give --fetch-to");
    }

    @Test
    void entries_listsCopiesByLastUse_withTheirLocationIdAndSize_andIncompleteOnes() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        Path c1 = copy(cache, "s3://bucket/live/cuts/c1", "c1", 1_000, days(3));
        Path c2 = copy(cache, "hdfs://nn:8020/snapshots/run-2", "run-2", 500, days(1));
        Path partial = cache.folderFor(URI.create("s3://bucket/live/cuts/c3"))
                .resolveSibling(".c3.0b6c3c8e-5a52-4c53-9d42-1a2b3c4d5e6f.partial");
        Files.createDirectories(partial);
        Files.write(partial.resolve("pairs-0.parquet"), new byte[77]);
        Files.setLastModifiedTime(partial, FileTime.from(days(10)));

        List<SnapshotCache.Entry> entries = cache.entries();

        assertThat(entries).extracting(SnapshotCache.Entry::folder, SnapshotCache.Entry::location,
                SnapshotCache.Entry::snapshotId, SnapshotCache.Entry::lastUsed).containsExactly(
                tuple(partial, "s3://bucket/live/cuts/c3", null, days(10)),
                tuple(c1, "s3://bucket/live/cuts/c1", "c1", days(3)),
                tuple(c2, "hdfs://nn:8020/snapshots/run-2", "run-2", days(1)));
        assertThat(entries.get(0).bytes()).isEqualTo(77);
        assertThat(entries.get(1).bytes()).isEqualTo(1_000 + Files.size(c1.resolve(SnapshotManifest.FILE_NAME)));
    }

    @Test
    void prune_removesCopiesUnusedSinceTheCutoff_andTheFoldersTheyLeaveEmpty() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        Path old = copy(cache, "s3://old-bucket/live/cuts/c1", "c1", 100, days(20));
        Path recent = copy(cache, "s3://bucket/live/cuts/c2", "c2", 100, days(2));

        List<SnapshotCache.Entry> removed = cache.prune(cache.entries(), Duration.ofDays(14), NOW);

        assertThat(removed).extracting(SnapshotCache.Entry::snapshotId).containsExactly("c1");
        assertThat(old).doesNotExist();
        assertThat(cache.folder().resolve("s3/old-bucket")).as("left empty").doesNotExist();
        assertThat(recent.resolve(SnapshotManifest.FILE_NAME)).exists();
        assertThat(cache.entries()).extracting(SnapshotCache.Entry::snapshotId).containsExactly("c2");
    }

    @Test
    void prune_keepsAnUnusedCopyHoldingOneInUse() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        Path outer = copy(cache, "s3://bucket/run", "run", 100, days(30));
        Path inner = copy(cache, "s3://bucket/run/cuts/c1", "c1", 100, days(1));

        assertThat(cache.prune(cache.entries(), Duration.ofDays(14), NOW)).isEmpty();
        assertThat(outer.resolve(SnapshotManifest.FILE_NAME)).exists();
        assertThat(inner.resolve(SnapshotManifest.FILE_NAME)).exists();

        assertThat(cache.prune(cache.entries(), Duration.ZERO, NOW)).extracting(SnapshotCache.Entry::snapshotId)
                .containsExactly("c1", "run");
        assertThat(cache.folder()).isEmptyDirectory();
    }

    @Test
    void command_listsThenPrunes() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        copy(cache, "s3://bucket/live/cuts/c1", "c1", 2_000, Instant.now().minus(Duration.ofDays(30)));
        copy(cache, "s3://bucket/live/cuts/c2", "c2", 100, Instant.now());
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("snapshot", "cache", "--cache-dir", dir.toString(), "--prune", "--unused-days", "7");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("2 cached snapshot copies in " + cache.folder(),
                "c1                       s3://bucket/live/cuts/c1",
                "removed " + cache.folder().resolve("s3/bucket/live/cuts/c1") + " (c1, last used",
                "pruned 1 copy unused for 7 day(s):", "bytes freed, 1 kept");
        assertThat(cache.entries()).extracting(SnapshotCache.Entry::snapshotId).containsExactly("c2");
    }

    @Test
    void command_prune_waitsForACommandReadingInAnotherProcess_thenPrunes() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        copy(cache, "s3://bucket/live/cuts/c1", "c1", 2_000, Instant.now().minus(Duration.ofDays(30)));
        Process reader = holder("read");
        try {
            BufferedReader said = lines(reader);
            assertThat(said.readLine()).isEqualTo("held");
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new PrefpipeCommand());
            cli.setOut(new PrintWriter(out));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("snapshot", "cache",
                    "--cache-dir", dir.toString(), "--prune", "--unused-days", "7"));

            await(() -> out.toString().contains("waiting for the commands reading cached snapshots to finish"));
            assertThat(exit).as("pruning while another process reads").isNotDone();
            assertThat(cache.entries()).hasSize(1);

            reader.getOutputStream().close();
            assertThat(exit.get(1, TimeUnit.MINUTES)).isZero();
            assertThat(out.toString()).contains("pruned 1 copy unused for 7 day(s)");
            assertThat(cache.entries()).isEmpty();
        } finally {
            reader.destroyForcibly();
        }
    }

    @Test
    void holdForReading_waitsWhileAnotherProcessPrunes() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        ProcessFileLock pruning = cache.holdForPruning(() -> { });
        Process reader = holder("read");
        try {
            BufferedReader said = lines(reader);
            assertThat(said.readLine()).isEqualTo("waiting");
            Thread.sleep(300);
            assertThat(said.ready()).as("the reader said nothing more while the cache is pruned").isFalse();
            pruning.close();
            assertThat(said.readLine()).isEqualTo("held");
        } finally {
            pruning.close();
            reader.destroyForcibly();
        }
    }

    @Test
    void holdsOfOneProcess_readersShareTheOsLockUntilTheLastCloses_andPruningBesideThemIsRefused() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        ProcessFileLock first = cache.holdForReading(() -> { });
        ProcessFileLock second = cache.holdForReading(() -> { });
        assertThatThrownBy(() -> cache.holdForPruning(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this process holds the snapshot cache " + dir.toRealPath()
                        + " already (reading); it cannot also prune it");
        first.close();
        first.close();

        Process pruner = holder("prune");
        try {
            BufferedReader said = lines(pruner);
            assertThat(said.readLine()).as("one reader still holds the cache").isEqualTo("waiting");
            second.close();
            assertThat(said.readLine()).isEqualTo("held");
        } finally {
            pruner.destroyForcibly();
        }
    }

    @Test
    void command_negativeDays_refused() {
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("snapshot", "cache", "--cache-dir", dir.toString(), "--unused-days", "-1");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--unused-days must be >= 0, got -1");
    }

    /** {@link SnapshotCacheHolder} on this test's cache, in a JVM of its own. */
    private Process holder(String mode) throws IOException {
        return JavaProcess.of(SnapshotCacheHolder.class).maxHeap("64m").args(dir.toString(), mode).start();
    }

    private static BufferedReader lines(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Instant days(int ago) {
        return NOW.minus(Duration.ofDays(ago));
    }

    /** A fetched copy of {@code location}: one file of {@code bytes} bytes and its manifest, last used at {@code used}. */
    private static Path copy(SnapshotCache cache, String location, String id, int bytes, Instant used)
            throws Exception {
        Path folder = cache.folderFor(URI.create(location));
        Files.createDirectories(folder);
        Files.write(folder.resolve("pairs-0.parquet"), new byte[bytes]);
        new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, id, Instant.parse("2026-01-01T00:00:00Z"), "mv",
                List.of(new SnapshotFile("pairs-0.parquet", 5, bytes, "ab")), List.of(new OffsetRange("feedback", 0, 0,
                5)), new Counts(5, 5, 5, Map.of(), Map.of()), Map.of()).write(folder);
        Files.setLastModifiedTime(folder, FileTime.from(used));
        return folder;
    }
}
