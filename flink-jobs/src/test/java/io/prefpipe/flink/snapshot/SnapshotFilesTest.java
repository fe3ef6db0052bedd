package io.prefpipe.flink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
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
    void committedIn_listsOnlyTheFolderItself_notItsSubFolders() throws Exception {
        TestPairs.write(dir.resolve("pairs-abc-0.parquet"), TestPairs.pairs(2));
        TestPairs.write(dir.resolve(".pairs-abc-1.parquet.inprogress.0f1e"), TestPairs.pairs(1));
        Files.createDirectories(dir.resolve("cuts/first"));
        TestPairs.write(dir.resolve("cuts/first/pairs-abc-0.parquet"), TestPairs.pairs(2));

        assertThat(SnapshotFiles.committedIn(dir)).extracting(SnapshotFile::path).containsExactly("pairs-abc-0.parquet");
        assertThat(SnapshotFiles.committed(dir)).extracting(SnapshotFile::path)
                .containsExactly("cuts/first/pairs-abc-0.parquet", "pairs-abc-0.parquet");
    }
}
