package io.prefpipe.flink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.snapshot.CheckpointLedger.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLedgerTest {
    @TempDir
    Path ledger;

    @Test
    void latest_addsUpSubtasksOfTheNewestCompleteCheckpoint() throws Exception {
        writeAll(3, 10);
        CheckpointLedger.markComplete(ledger, 3);
        writeAll(4, 20);
        CheckpointLedger.markComplete(ledger, 4);

        CheckpointLedger.Checkpoint c = CheckpointLedger.latest(ledger).orElseThrow();

        assertThat(c.checkpointId()).isEqualTo(4);
        // two decode subtasks of 20 each; offsets: the highest per partition
        assertThat(c.counts()).containsEntry("prefpipe.events_in", 40L);
        assertThat(c.nextOffsets()).containsExactlyInAnyOrderEntriesOf(Map.of("feedback/0", 21L, "feedback/1", 22L));
        assertThat(c.properties()).containsEntry("label_noise.method", "ds");
    }

    @Test
    void latest_skipsCheckpointsNotCompletedOrMissingASubtask() throws Exception {
        writeAll(3, 10);
        CheckpointLedger.markComplete(ledger, 3);
        writeAll(4, 20);
        // 4 never completed; 5 completed but one decode subtask has not written its entry
        writeAll(5, 30);
        CheckpointLedger.markComplete(ledger, 5);
        Files.delete(ledger.resolve("chk-5").resolve("decode-validate-1.json"));

        assertThat(CheckpointLedger.latest(ledger).orElseThrow().checkpointId()).isEqualTo(3);
    }

    @Test
    void latest_emptyLedger_isEmpty() throws Exception {
        assertThat(CheckpointLedger.latest(ledger.resolve("none"))).isEmpty();
    }

    @Test
    void write_dropsTheWritersEntryFromTenCheckpointsBefore() throws Exception {
        CheckpointLedger.write(ledger, entry("dedupe", 0, 1, 1, 5));
        CheckpointLedger.write(ledger, entry("dedupe", 0, 1, 11, 5));

        assertThat(ledger.resolve("chk-1")).doesNotExist();
        assertThat(ledger.resolve("chk-11").resolve("dedupe-0.json")).exists();
    }

    private void writeAll(long checkpoint, long events) throws Exception {
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
