package io.prefpipe.optimizer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.optimizer.data.SnapshotFixture;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriterTest {
    private static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(16).setLayers(1).setHeads(2).setWidth(16).build();
    private static final TrainingConfig TRAINING = TrainingConfig.builder().setSteps(3).setSeed(11).setBeta(0.2).build();
    private static final SnapshotManifest SNAPSHOT = SnapshotFixture.manifest("snap-7", List.of(
            new SnapshotManifest.SnapshotFile("pairs/part-0.parquet", 10, 2048, "ab12"),
            new SnapshotManifest.SnapshotFile("pairs/part-1.parquet", 5, 1024, "cd34")));

    @TempDir Path root;

    private static CheckpointManifest manifest(String id) {
        return manifest(id, CheckpointManifest.LossSpec.of(new DpoLoss(TRAINING.beta())));
    }

    private static CheckpointManifest manifest(String id, CheckpointManifest.LossSpec loss) {
        return CheckpointManifest.builder()
                .setCheckpointId(id)
                .setCreatedTime(Instant.parse("2026-11-28T11:00:00Z"))
                .setLoss(loss)
                .setTraining(TRAINING)
                .setPolicy(TINY)
                .setResult(new TrainingResult(3, List.of(0.69, 0.6, 0.5), Map.of("loss", 0.5, "rewards/accuracy", 1.0),
                        Duration.ofMillis(1500)))
                .setSnapshot(SNAPSHOT)
                .setProperty("policy.initSeed", "1")
                .build();
    }

    @Test
    void write_thenOpen_roundTripsManifestLineageAndPolicy() throws Exception {
        List<PromptResponse> probe = List.of(new PromptResponse("hi", "there"));
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            Checkpoint written = new CheckpointWriter(root).write(policy, manifest("ckpt-1"));
            assertThat(written.dir()).isEqualTo(root.resolve("ckpt-1"));

            Checkpoint opened = Checkpoint.open(root.resolve("ckpt-1"));
            CheckpointManifest m = opened.manifest();
            assertThat(m).isEqualTo(manifest("ckpt-1"));
            assertThat(m.seed()).isEqualTo(11);
            assertThat(m.loss()).isEqualTo(new CheckpointManifest.LossSpec("dpo", 0.2, Map.of()));
            assertThat(m.result().trainingSeconds()).isEqualTo(1.5);
            assertThat(m.lineage().snapshotId()).isEqualTo("snap-7");
            assertThat(m.lineage().rows()).isEqualTo(15);
            assertThat(m.lineage().files()).isEqualTo(SNAPSHOT.files());
            assertThat(m.lineage().sources()).isEqualTo(SNAPSHOT.sources());
            try (PolicyModel loaded = opened.loadPolicy()) {
                assertThat(loaded.logProbs(probe)).isEqualTo(policy.logProbs(probe));
            }
        }
        assertThat(names(root)).containsExactly("ckpt-1");
        assertThat(names(root.resolve("ckpt-1"))).containsExactlyInAnyOrder("manifest.json", "model");
        assertThat(Files.readString(root.resolve("ckpt-1/manifest.json")))
                .contains("\"sha256\" : \"ab12\"", "\"startOffset\" : 5", "\"createdTime\" : \"2026-11-28T11:00:00Z\"");
    }

    @Test
    void write_lossWithParameters_recordsThem() throws Exception {
        CheckpointManifest.LossSpec robust = new CheckpointManifest.LossSpec("rdpo", 0.2, Map.of("epsilon", 0.15));
        CheckpointManifest manifest = manifest("ckpt-r", robust);
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            new CheckpointWriter(root).write(policy, manifest);
        }
        assertThat(Checkpoint.open(root.resolve("ckpt-r")).manifest().loss()).isEqualTo(robust);
    }

    @Test
    void write_existingId_isRefusedAndLeavesItUntouched() throws Exception {
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            new CheckpointWriter(root).write(policy, manifest("ckpt-1"));
            byte[] before = Files.readAllBytes(root.resolve("ckpt-1/manifest.json"));
            assertThatThrownBy(() -> new CheckpointWriter(root).write(policy, manifest("ckpt-1")))
                    .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("ckpt-1");
            assertThat(Files.readAllBytes(root.resolve("ckpt-1/manifest.json"))).isEqualTo(before);
        }
        assertThat(names(root)).containsExactly("ckpt-1");
    }

    @Test
    void write_failingMidway_leavesNoCheckpointAndNoTemporaryFolder() throws Exception {
        PolicyModel closed = PolicyModel.create(TINY, 1);
        closed.close(); // its parameters are gone, so saving fails after the temporary folder exists
        assertThatThrownBy(() -> new CheckpointWriter(root).write(closed, manifest("ckpt-2")))
                .isInstanceOf(RuntimeException.class);
        assertThat(names(root)).isEmpty();
    }

    @Test
    void write_manifestOfAnotherShape_isRefused() {
        try (PolicyModel other = PolicyModel.create(TINY.toBuilder().setWidth(32).build(), 1)) {
            assertThatThrownBy(() -> new CheckpointWriter(root).write(other, manifest("ckpt-3")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width=32");
        }
    }

    @Test
    void build_pathLikeId_isRefused() {
        assertThatThrownBy(() -> manifest("../escape")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpointId");
        assertThatThrownBy(() -> manifest(".hidden")).hasMessageContaining("checkpointId");
        assertThatThrownBy(() -> CheckpointManifest.builder().setTraining(TRAINING).setCheckpointId("x").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("createdTime");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
