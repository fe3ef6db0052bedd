package io.prefpipe.flink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.snapshot.FileChecksums;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
    @TempDir
    Path dir;

    @Test
    void committed_listsOnlyVisibleParquetFilesWithRowsSizeAndHash() throws Exception {
        Path committed = dir.resolve("pairs-abc-0.parquet");
        TestPairs.write(committed, TestPairs.pairs(2));
        TestPairs.write(dir.resolve(".pairs-abc-1.parquet.inprogress.0f1e"), TestPairs.pairs(1));
        Files.createDirectories(dir.resolve(".hidden"));
        TestPairs.write(dir.resolve(".hidden/pairs-x-0.parquet"), TestPairs.pairs(1));
        Files.writeString(dir.resolve("manifest.json"), "{}");

        List<SnapshotFile> files = SnapshotFiles.committed(dir);

        byte[] bytes = Files.readAllBytes(committed);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(files).containsExactly(new SnapshotFile("pairs-abc-0.parquet", 2, bytes.length, sha));
    }

    @Test
    void committed_emptyFolder_hasNoFiles() throws Exception {
        assertThat(SnapshotFiles.committed(dir)).isEmpty();
    }

    @Test
    void committed_onAnotherFileSystem_listsNestedFilesThroughFlinksApi() throws Exception {
        String folder = "snapshot-files-test/" + UUID.randomUUID();
        java.nio.file.Path local = Files.createDirectories(ForeignSchemeFileSystem.root().resolve(folder));
        TestPairs.write(local.resolve("pairs-b-0.parquet"), TestPairs.pairs(3));
        Files.createDirectories(local.resolve("cuts/c1"));
        TestPairs.write(local.resolve("cuts/c1/pairs-a-0.parquet"), TestPairs.pairs(1));
        TestPairs.write(local.resolve(".pairs-b-1.parquet.inprogress.1"), TestPairs.pairs(1));

        List<SnapshotFile> files = SnapshotFiles.committed(
                new org.apache.flink.core.fs.Path(ForeignSchemeFileSystem.uri(folder)));

        assertThat(files).extracting(SnapshotFile::path, SnapshotFile::rows)
                .containsExactly(tuple("cuts/c1/pairs-a-0.parquet", 1L), tuple("pairs-b-0.parquet", 3L));
        assertThat(files.get(1).sha256()).isEqualTo(FileChecksums.sha256(local.resolve("pairs-b-0.parquet")));
        assertThat(SnapshotFiles.committed(new org.apache.flink.core.fs.Path(
                ForeignSchemeFileSystem.uri(folder + "-absent")))).isEmpty();
    }

    @Test
    void committedIn_listsOnlyTheFolderItself_notItsSubFolders() throws Exception {
        TestPairs.write(dir.resolve("pairs-abc-0.parquet"), TestPairs.pairs(2));
        TestPairs.write(dir.resolve(".pairs-abc-1.parquet.inprogress.0f1e"), TestPairs.pairs(1));
        Files.createDirectories(dir.resolve("cuts/first"));
        TestPairs.write(dir.resolve("cuts/first/pairs-abc-0.parquet"), TestPairs.pairs(2));

        assertThat(SnapshotFiles.committedIn(dir)).extracting(SnapshotFile::path).containsExactly("pairs-abc-0.parquet");
        assertThat(SnapshotFiles.committed(dir)).extracting(SnapshotFile::path)
                .containsExactly("cuts/first/pairs-abc-0.parquet", "pairs-abc-0.parquet");
    }

    @Test
    void committedIn_knownFileOfTheSameSize_isTakenFromWhatIsKnownWithoutReadingIt() throws Exception {
        TestPairs.write(dir.resolve("pairs-a-0.parquet"), TestPairs.pairs(2));
        TestPairs.write(dir.resolve("pairs-b-0.parquet"), TestPairs.pairs(3));
        long sizeA = Files.size(dir.resolve("pairs-a-0.parquet"));
        SnapshotFile knownA = new SnapshotFile("pairs-a-0.parquet", 99, sizeA, "as-known");
        SnapshotFile stale = new SnapshotFile("pairs-b-0.parquet", 99, 1, "as-known");

        List<SnapshotFile> files = SnapshotFiles.committedIn(new org.apache.flink.core.fs.Path(dir.toUri()),
                Map.of(knownA.path(), knownA, stale.path(), stale));

        assertThat(files.get(0)).isSameAs(knownA);
        assertThat(files.get(1).rows()).as("a known name of another size is read again").isEqualTo(3);
        assertThat(files.get(1).sha256()).isEqualTo(FileChecksums.sha256(dir.resolve("pairs-b-0.parquet")));
    }
}
