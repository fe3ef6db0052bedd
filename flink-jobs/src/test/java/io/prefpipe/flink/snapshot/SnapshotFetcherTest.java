package io.prefpipe.flink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches from {@link ForeignSchemeFileSystem}, so every read goes through Flink's file system API, as from S3. */
class SnapshotFetcherTest {
    @TempDir
    Path dir;

    private Path remoteFolder;
    private URI remote;
    private SnapshotManifest manifest;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void remoteSnapshot() throws Exception {
        String folder = "snapshot-fetcher-test/" + UUID.randomUUID() + "/cuts/c1";
        remoteFolder = Files.createDirectories(ForeignSchemeFileSystem.root().resolve(folder));
        remote = ForeignSchemeFileSystem.uri(folder);
        TestPairs.write(remoteFolder.resolve("pairs-a-0.parquet"), TestPairs.pairs(3));
        Files.createDirectories(remoteFolder.resolve("p1"));
        TestPairs.write(remoteFolder.resolve("p1/pairs-b-0.parquet"), TestPairs.pairs(2));
        // committed after the cut: not in its manifest, so not fetched
        TestPairs.write(remoteFolder.resolve("pairs-c-0.parquet"), TestPairs.pairs(1));
        manifest = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, "c1", Instant.parse("2026-11-29T00:00:00Z"),
                "mv", SnapshotFiles.committed(remoteFolder).stream()
                        .filter(f -> !f.path().equals("pairs-c-0.parquet")).toList(),
                List.of(new OffsetRange("feedback", 0, 0, 20)), new Counts(20, 15, 5, Map.of("late", 5L), Map.of()),
                Map.of());
        manifest.write(remoteFolder);
    }

    @Test
    void fetch_copiesTheManifestsFilesAndNothingElse() throws Exception {
        Path into = dir.resolve("c1");

        SnapshotFetcher.Fetched fetched = new SnapshotFetcher(progress::add).fetch(remote, into);

        assertThat(fetched.folder()).isEqualTo(into);
        assertThat(fetched.filesCopied()).isEqualTo(2);
        assertThat(fetched.bytesCopied()).isEqualTo(manifest.files().stream().mapToLong(f -> f.bytes()).sum());
        assertThat(SnapshotManifest.read(into)).isEqualTo(manifest);
        assertThat(SnapshotFiles.committed(into)).isEqualTo(manifest.files());
        assertThat(TestPairs.read(into.resolve("p1/pairs-b-0.parquet"))).isEqualTo(TestPairs.pairs(2));
        assertThat(into.resolve("pairs-c-0.parquet")).doesNotExist();
        assertThat(progress).hasSize(2).allMatch(line -> line.contains("pairs-"));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void fetch_again_copiesNothing() throws Exception {
        Path into = dir.resolve("c1");
        new SnapshotFetcher(progress::add).fetch(remote, into);

        SnapshotFetcher.Fetched again = new SnapshotFetcher(progress::add).fetch(remote, into);

        assertThat(again.filesCopied()).isZero();
        assertThat(again.manifest()).isEqualTo(manifest);
    }

    /** A second fetch of the same snapshot completes while the first copies its first file, as two commands would. */
    @Test
    void fetch_whileAnotherFetchOfTheSameSnapshotFinishesFirst_keepsTheirCopyAndSucceeds() throws Exception {
        Path into = dir.resolve("c1");
        List<String> other = new ArrayList<>();
        SnapshotFetcher first = new SnapshotFetcher(line -> {
            progress.add(line);
            if (progress.size() == 1) {
                try {
                    new SnapshotFetcher(other::add).fetch(remote, into);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });

        SnapshotFetcher.Fetched fetched = first.fetch(remote, into);

        assertThat(other).as("the other fetch copied every file").hasSize(2);
        assertThat(progress).as("this fetch copied every file too").hasSize(2);
        assertThat(fetched.filesCopied()).as("its copy was discarded").isZero();
        assertThat(fetched.manifest()).isEqualTo(manifest);
        assertThat(SnapshotManifest.read(into)).isEqualTo(manifest);
        assertThat(SnapshotFiles.committed(into)).isEqualTo(manifest.files());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void fetch_whileSomethingElseAppearsAtTheDestination_isRefusedAndLeavesItAlone() throws Exception {
        Path into = dir.resolve("c1");
        SnapshotFetcher fetcher = new SnapshotFetcher(line -> {
            progress.add(line);
            try {
                Files.createDirectories(into);
                Files.writeString(into.resolve("notes.txt"), "mine");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThatThrownBy(() -> fetcher.fetch(remote, into))
                .isInstanceOf(IOException.class)
                .hasMessage(into + " appeared while fetching and does not hold snapshot c1; fetch into a new folder");
        assertThat(into.resolve("notes.txt")).hasContent("mine");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void fetch_fileChangedAfterTheCut_isRefusedNamingTheFileAndLeavesNothing() throws Exception {
        Path file = remoteFolder.resolve("p1/pairs-b-0.parquet");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Path into = dir.resolve("c1");

        assertThatThrownBy(() -> new SnapshotFetcher(progress::add).fetch(remote, into))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("snapshot file p1/pairs-b-0.parquet has SHA-256 ")
                .hasMessageEndingWith("the manifest says " + manifest.files().stream()
                        .filter(f -> f.path().equals("p1/pairs-b-0.parquet")).findFirst().orElseThrow().sha256());
        assertThat(into).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void fetch_missingFile_isRefusedNamingIt() throws Exception {
        Files.delete(remoteFolder.resolve("pairs-a-0.parquet"));

        assertThatThrownBy(() -> new SnapshotFetcher(progress::add).fetch(remote, dir.resolve("c1")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("snapshot file pairs-a-0.parquet is missing at prefpipe-test:")
                .hasMessageEndingWith(remote.getPath() + "/pairs-a-0.parquet");
        assertThat(dir.resolve("c1")).doesNotExist();
    }

    @Test
    void fetch_intoAFolderHoldingSomethingElse_isRefused() throws Exception {
        Files.createDirectories(dir.resolve("c1"));
        Files.writeString(dir.resolve("c1/notes.txt"), "mine");

        assertThatThrownBy(() -> new SnapshotFetcher(progress::add).fetch(remote, dir.resolve("c1")))
                .hasMessage(dir.resolve("c1") + " exists and does not hold snapshot c1; fetch into a new folder");
        assertThat(dir.resolve("c1/notes.txt")).hasContent("mine");
    }

    @Test
    void fetch_folderWithoutManifest_isRefused() {
        URI nowhere = ForeignSchemeFileSystem.uri("snapshot-fetcher-test/" + UUID.randomUUID());

        assertThatThrownBy(() -> new SnapshotFetcher(progress::add).fetch(nowhere, dir.resolve("c1")))
                .hasMessageStartingWith("no snapshot manifest at prefpipe-test:")
                .hasMessageEndingWith(nowhere.getPath() + "/manifest.json: a snapshot is a folder with manifest.json");
    }

    @Test
    void fetch_folderWithAnotherKindOfManifest_isRefused() throws Exception {
        Files.writeString(remoteFolder.resolve(SnapshotManifest.FILE_NAME), "{\"checkpointId\": \"dpo-1\"}");

        assertThatThrownBy(() -> new SnapshotFetcher(progress::add).fetch(remote, dir.resolve("c1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(remote.getPath() + "/manifest.json is not a snapshot manifest: ");
        assertThat(dir.resolve("c1")).doesNotExist();
    }

    /** Hidden partial folders left beside the destination. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
