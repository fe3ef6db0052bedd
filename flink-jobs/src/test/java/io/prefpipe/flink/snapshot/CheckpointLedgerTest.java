package io.prefpipe.flink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.snapshot.CheckpointLedger.Entry;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ledger on the local file system and on a file system of another scheme, through Flink's API alone. */
class CheckpointLedgerTest {
    @TempDir
    java.nio.file.Path tmp;

    private Path ledger(String scheme) {
        return scheme.equals("file") ? new Path(tmp.resolve("_ledger").toUri())
                : new Path(ForeignSchemeFileSystem.uri("ledger-test/" + UUID.randomUUID() + "/_ledger"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", ForeignSchemeFileSystem.SCHEME})
    void latest_addsUpSubtasksOfTheNewestCompleteCheckpoint(String scheme) throws Exception {
        Path ledger = ledger(scheme);
        writeAll(ledger, 3, 10);
        CheckpointLedger.markComplete(ledger, 3);
        writeAll(ledger, 4, 20);
        CheckpointLedger.markComplete(ledger, 4);

        CheckpointLedger.Checkpoint c = CheckpointLedger.latest(ledger).orElseThrow();

        assertThat(c.checkpointId()).isEqualTo(4);
        // two decode subtasks of 20 each; offsets: the highest per partition
        assertThat(c.counts()).containsEntry("prefpipe.events_in", 40L);
        assertThat(c.nextOffsets()).containsExactlyInAnyOrderEntriesOf(Map.of("feedback/0", 21L, "feedback/1", 22L));
        assertThat(c.properties()).containsEntry("label_noise.method", "ds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", ForeignSchemeFileSystem.SCHEME})
    void latest_skipsCheckpointsNotCompletedOrMissingASubtask(String scheme) throws Exception {
        Path ledger = ledger(scheme);
        writeAll(ledger, 3, 10);
        CheckpointLedger.markComplete(ledger, 3);
        writeAll(ledger, 4, 20);
        // 4 never completed; 5 completed but one decode subtask has not written its entry
        writeAll(ledger, 5, 30);
        CheckpointLedger.markComplete(ledger, 5);
        FlinkFiles.deleteIfExists(new Path(new Path(ledger, "chk-5"), "decode-validate-1.json"));

        assertThat(CheckpointLedger.latest(ledger).orElseThrow().checkpointId()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", ForeignSchemeFileSystem.SCHEME})
    void latest_emptyLedger_isEmpty(String scheme) throws Exception {
        assertThat(CheckpointLedger.latest(new Path(ledger(scheme), "none"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", ForeignSchemeFileSystem.SCHEME})
    void write_dropsTheWritersEntryFromTenCheckpointsBefore(String scheme) throws Exception {
        Path ledger = ledger(scheme);
        CheckpointLedger.write(ledger, entry("dedupe", 0, 1, 1, 5));
        CheckpointLedger.write(ledger, entry("dedupe", 0, 1, 11, 5));

        assertThat(FlinkFiles.exists(new Path(ledger, "chk-1"))).isFalse();
        assertThat(FlinkFiles.exists(new Path(new Path(ledger, "chk-11"), "dedupe-0.json"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", ForeignSchemeFileSystem.SCHEME})
    void write_sameEntryAgain_replacesIt(String scheme) throws Exception {
        Path ledger = ledger(scheme);
        writeAll(ledger, 7, 10);
        // a restored job may write entries of a checkpoint number its predecessor wrote but never completed
        writeAll(ledger, 7, 15);
        CheckpointLedger.markComplete(ledger, 7);

        assertThat(CheckpointLedger.latest(ledger).orElseThrow().counts()).containsEntry("prefpipe.events_in", 30L);
        assertThat(FlinkFiles.list(new Path(ledger, "chk-7"))).extracting(s -> s.getPath().getName())
                .as("no temporary files left behind").allMatch(n -> !n.startsWith("."));
    }

    private static void writeAll(Path ledger, long checkpoint, long events) throws Exception {
        CheckpointLedger.write(ledger, entry("decode-validate", 0, 2, checkpoint, events));
        CheckpointLedger.write(ledger, entry("decode-validate", 1, 2, checkpoint, events));
        CheckpointLedger.write(ledger, entry("dedupe", 0, 1, checkpoint, 0));
        CheckpointLedger.write(ledger, entry("curate", 0, 1, checkpoint, 0));
        CheckpointLedger.write(ledger, new Entry("estimate-annotators", 0, 1, checkpoint, Map.of(), Map.of(),
                Map.of("label_noise.method", "ds")));
    }

    private static Entry entry(String operator, int subtask, int parallelism, long checkpoint, long events) {
        return new Entry(operator, subtask, parallelism, checkpoint, Map.of("prefpipe.events_in", events),
                Map.of("feedback/" + subtask, events + 1 + subtask), Map.of());
    }
}
