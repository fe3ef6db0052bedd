package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may cut from a loop's curation job, on job folders made by hand (no job runs). */
class LiveCurationTest {
    @TempDir
    Path tmp;

    private LoopConfig config(String name, Path loopDir) {
        return LoopConfig.read(LoopConfig.parse("""
                name: %s
                dir: %s
                kafka: {bootstrap: 127.0.0.1:9092}
                curation: {run: false, job-dir: %s}
                policy: {initial: sft}
                """.formatted(name, loopDir, jobDir())));
    }

    private Path jobDir() {
        return tmp.resolve("job");
    }

    /** A cut in the job folder, as SnapshotCutter writes it, at checkpoint {@code checkpoint}, after {@code previous}. */
    private void cut(String id, long checkpoint, String previous, long pairs) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(SnapshotCutter.CHECKPOINT_PROPERTY, Long.toString(checkpoint));
        if (previous != null) {
            properties.put(SnapshotCutter.PREVIOUS_PROPERTY, previous);
        }
        new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, id, Instant.parse("2026-11-28T12:00:00Z"), "ds",
                List.of(), List.of(), new Counts(pairs, pairs, pairs, Map.of(), Map.of()), properties)
                .write(jobDir().resolve(SnapshotCutter.CUTS).resolve(id));
    }

    private LoopConfig runningConfig(String flink) {
        return LoopConfig.read(LoopConfig.parse("""
                name: L
                dir: %s
                kafka: {bootstrap: 127.0.0.1:9092}
                curation: {flink: %s}
                policy: {initial: sft}
                """.formatted(tmp.resolve("loop"), flink)));
    }

    @Test
    void jobConfig_carriesTheFlinkSettings() {
        CurationJobConfig job = LiveCuration.jobConfig(
                runningConfig("{state.backend.type: rocksdb, execution.checkpointing.incremental: true}"), null);

        assertThat(job.flinkSettings()).containsOnly(entry("state.backend.type", "rocksdb"),
                entry("execution.checkpointing.incremental", "true"));
    }

    @Test
    void jobConfig_flinkSettingTheJobSetsItself_isRefusedNamingTheField() {
        LoopConfig config = runningConfig("{execution.checkpointing.interval: 1s}");

        assertThatThrownBy(() -> LiveCuration.jobConfig(config, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("curation.flink: Flink setting 'execution.checkpointing.interval' is one the"
                        + " curation job sets itself");
    }

    @Test
    void cut_afterACutTheLoopDidNotTake_refusesNamingItUntilItIsMovedOut() throws Exception {
        cut("L-iteration-0001", 1, null, 4);
        cut("by-hand", 2, "L-iteration-0001", 5);
        LiveCuration curation = LiveCuration.attach(config("L", tmp.resolve("loop")));

        assertThatThrownBy(() -> curation.cut("L-iteration-0002", "L-iteration-0001", tmp.resolve("snapshot")))
                .isInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("holds cuts the loop did not take, after its previous cut L-iteration-0001:"
                        + " [by-hand (5 pairs)]")
                .hasMessageContaining("Move it out of " + jobDir().resolve(SnapshotCutter.CUTS))
                .hasMessageNotContaining("this iteration's cut");
        assertThat(tmp.resolve("snapshot")).doesNotExist();

        Files.move(jobDir().resolve(SnapshotCutter.CUTS).resolve("by-hand"), tmp.resolve("by-hand"));
        // past the check: the cutter finds no checkpoint in this hand-made folder
        assertThatThrownBy(() -> curation.cut("L-iteration-0002", "L-iteration-0001", tmp.resolve("snapshot")))
                .isNotInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("nothing was committed");
    }

    @Test
    void cut_retryOfACutTakenAfterAForeignOne_asksToMoveOutBoth() throws Exception {
        cut("L-iteration-0001", 1, null, 4);
        cut("by-hand", 2, "L-iteration-0001", 5);
        cut("L-iteration-0002", 3, "by-hand", 6);
        LiveCuration curation = LiveCuration.attach(config("L", tmp.resolve("loop")));

        assertThatThrownBy(() -> curation.cut("L-iteration-0002", "L-iteration-0001", tmp.resolve("snapshot")))
                .isInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("[by-hand (5 pairs)]")
                .hasMessageContaining("and L-iteration-0002 (this iteration's cut, used by no iteration yet)");
    }

    @Test
    void cut_ownCutFoundAfterACrash_isUsedAndTheFolderNamesTheLoop() throws Exception {
        cut("L-iteration-0001", 1, null, 4);
        cut("L-iteration-0002", 3, "L-iteration-0001", 6);
        LiveCuration curation = LiveCuration.attach(config("L", tmp.resolve("loop")));

        LoopSteps.Snapshot snapshot = curation.cut("L-iteration-0002", "L-iteration-0001", tmp.resolve("snapshot"));

        assertThat(snapshot).isEqualTo(new LoopSteps.Snapshot("L-iteration-0002", tmp.resolve("snapshot"), 6));
        assertThat(LiveCuration.owner(jobDir())).contains(new LiveCuration.Owner("L", tmp.resolve("loop")));
    }

    @Test
    void cut_firstIteration_acceptsCutsTakenBeforeTheLoopAttached() throws Exception {
        cut("by-hand", 1, null, 5);
        LiveCuration curation = LiveCuration.attach(config("L", tmp.resolve("loop")));

        assertThatThrownBy(() -> curation.cut("L-iteration-0001", null, tmp.resolve("snapshot")))
                .isNotInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("nothing was committed");
    }

    @Test
    void attach_jobFolderAnotherLoopCutsFrom_refusedNamingThatLoop() throws Exception {
        Files.createDirectories(jobDir());
        LiveCuration.attach(config("first", tmp.resolve("first")));
        assertThat(LiveCuration.owner(jobDir())).contains(new LiveCuration.Owner("first", tmp.resolve("first")));

        assertThatThrownBy(() -> LiveCuration.attach(config("second", tmp.resolve("second"))))
                .isInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("the curation job folder " + jobDir() + " is cut by the loop first in "
                        + tmp.resolve("first"))
                .hasMessageContaining("delete " + jobDir().resolve(LiveCuration.OWNER_FILE));
        // the same loop under a new name (an accepted config change) is still the same loop
        LiveCuration.attach(config("renamed", tmp.resolve("first")));
        assertThat(LiveCuration.owner(jobDir())).contains(new LiveCuration.Owner("renamed", tmp.resolve("first")));
    }

    @Test
    void attach_jobFolderNotThereYet_leavesItToTheCurationJob() throws Exception {
        LiveCuration.attach(config("L", tmp.resolve("loop")));

        assertThat(jobDir()).doesNotExist();
    }
}
