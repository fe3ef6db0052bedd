package io.prefpipe.optimizer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReaderTest {
    @TempDir Path dir;

    private static final List<PreferencePair> PAIRS = List.of(
            SnapshotFixture.pair("p1", "hello", "hi there", "go away"),
            SnapshotFixture.pair("p2", "2+2?", "4", "5"),
            SnapshotFixture.pair("p3", "héllo 日本", "ünïcode ok", "nope"));

    @Test
    void read_manifestFiles_returnsEveryPairInOrder() throws IOException {
        SnapshotManifest manifest = SnapshotFixture.write(dir, "snap-1", PAIRS, 2);
        PreferenceSnapshot snapshot = new SnapshotReader().read(dir);
        assertThat(snapshot.manifest()).isEqualTo(manifest);
        assertThat(snapshot.examples()).containsExactly(
                new PreferenceExample("p1", "hello", "hi there", "go away", 0.75),
                new PreferenceExample("p2", "2+2?", "4", "5", 0.75),
                new PreferenceExample("p3", "héllo 日本", "ünïcode ok", "nope", 0.75));
    }

    @Test
    void read_rowsInAnyFileOrder_comeBackSortedByPairId() throws IOException {
        SnapshotFixture.write(dir, "snap-1", List.of(PAIRS.get(2), PAIRS.get(0), PAIRS.get(1)), 1);
        assertThat(new SnapshotReader().read(dir).examples()).extracting(PreferenceExample::pairId)
                .containsExactly("p1", "p2", "p3");
    }

    @Test
    void read_unlistedParquetFile_isIgnored() throws IOException {
        SnapshotFixture.write(dir, "snap-1", PAIRS.subList(0, 1), 10);
        SnapshotFixture.writeFile(dir, "pairs/.part-9.inprogress.parquet", PAIRS);
        assertThat(new SnapshotReader().read(dir).examples()).hasSize(1);
    }

    @Test
    void read_rowCountMismatch_namesTheFile() throws IOException {
        SnapshotManifest.SnapshotFile file = SnapshotFixture.writeFile(dir, "part-0.parquet", PAIRS);
        SnapshotFixture.manifest("snap-1", List.of(new SnapshotManifest.SnapshotFile(file.path(), 4, file.bytes(),
                file.sha256()))).write(dir);
        assertThatThrownBy(() -> new SnapshotReader(SnapshotReader.Verification.ROW_COUNTS).read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("part-0.parquet").hasMessageContaining("3 rows").hasMessageContaining("says 4");
    }

    @Test
    void read_checksumMismatch_namesTheFile() throws IOException {
        SnapshotManifest.SnapshotFile file = SnapshotFixture.writeFile(dir, "part-0.parquet", PAIRS);
        SnapshotFixture.manifest("snap-1", List.of(new SnapshotManifest.SnapshotFile(file.path(), file.rows(),
                file.bytes(), "00"))).write(dir);
        assertThatThrownBy(() -> new SnapshotReader().read(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("part-0.parquet").hasMessageContaining("SHA-256");
        assertThat(new SnapshotReader(SnapshotReader.Verification.ROW_COUNTS).read(dir).examples()).hasSize(3);
    }

    @Test
    void read_listedFileMissing_namesIt() throws IOException {
        SnapshotFixture.write(dir, "snap-1", PAIRS, 2);
        Files.delete(dir.resolve("pairs/part-1.parquet"));
        assertThatThrownBy(() -> new SnapshotReader().read(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("pairs/part-1.parquet");
    }

    @Test
    void read_noManifest_isRefused() {
        assertThatThrownBy(() -> new SnapshotReader().read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("manifest.json");
    }
}
