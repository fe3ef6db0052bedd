package io.prefpipe.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotManifestTest {
    @TempDir Path dir;

    private static SnapshotManifest manifest(SnapshotManifest.Counts counts) {
        return new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, "snap-1", Instant.parse("2026-11-28T10:00:00Z"),
                "mv", List.of(new SnapshotManifest.SnapshotFile("part-0.parquet", 10, 1234, "ab")),
                List.of(new SnapshotManifest.OffsetRange("feedback", 0, 0, 42)), counts, Map.of("k", "v"));
    }

    @Test
    void write_thenRead_roundTrips() throws Exception {
        SnapshotManifest m = manifest(new SnapshotManifest.Counts(42, 30, 10, Map.of("tie", 7L), Map.of("bad", 5L)));
        m.write(dir);
        assertThat(SnapshotManifest.read(dir)).isEqualTo(m);
        assertThat(Files.list(dir)).extracting(p -> p.getFileName().toString()).containsExactly("manifest.json");
        assertThat(m.resolveFiles(dir)).containsExactly(dir.resolve("part-0.parquet"));
    }

    @Test
    void counts_reconcile_onlyWhenEveryEventIsAccountedFor() {
        assertThat(new SnapshotManifest.Counts(42, 30, 10, Map.of("tie", 7L), Map.of("bad", 5L)).reconciles()).isTrue();
        assertThat(new SnapshotManifest.Counts(43, 30, 10, Map.of("tie", 7L), Map.of("bad", 5L)).reconciles()).isFalse();
    }

    @Test
    void read_withoutManifest_namesTheMissingFile() {
        assertThatThrownBy(() -> SnapshotManifest.read(dir)).hasMessageContaining("manifest.json");
    }

    @Test
    void snapshotFile_absolutePath_isRefused() {
        assertThatThrownBy(() -> new SnapshotManifest.SnapshotFile("/etc/passwd", 1, 1, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative");
    }
}
