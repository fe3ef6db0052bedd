package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingStateTest {
    private static final int K = 3;
    /** Dropout on, so resuming must also reproduce the dropout masks. */
    private static final PolicyConfig POLICY = PreferenceTrainerTest.SMALL.toBuilder().setDropout(0.1).build();
    private static final List<PreferenceExample> DATA = PreferenceTrainerTest.VARIED;
    private static final TrainingConfig CONFIG = TrainingConfig.builder()
            .setSteps(2 * K).setBatchSize(3).setGradientAccumulation(2).setLearningRate(1e-2).setWeightDecay(0.01)
            .setWarmupSteps(2).setSchedule(LearningRateDecay.COSINE).setMinLearningRateRatio(0.1)
            .setCheckpointEvery(K).build();

    @TempDir Path root;

    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void resume_afterACrash_continuesExactlyAsTheUninterruptedRun() throws Exception {
        TrainingResult uninterrupted;
        Map<String, float[]> uninterruptedParameters;
        try (PolicyModel policy = PolicyModel.create(POLICY, 5); PolicyModel reference = policy.frozenCopy()) {
            uninterrupted = new PreferenceTrainer(new DpoLoss(), CONFIG).train(policy, reference, DATA);
            uninterruptedParameters = PolicyParameters.of(policy);
        }

        Path states = root.resolve("states");
        try (PolicyModel policy = PolicyModel.create(POLICY, 5); PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer crashing = PreferenceTrainer.builder(new DpoLoss(), CONFIG).setStateDir(states)
                    .setListener(p -> {
                        if (p.step() == K + 1) {
                            throw new Crash();
                        }
                    }).build();
            assertThatThrownBy(() -> crashing.train(policy, reference, DATA)).isInstanceOf(Crash.class);
        }
        TrainingStateStore store = new TrainingStateStore(states);
        TrainingState state = store.latest().orElseThrow();
        assertThat(state.manifest().step()).isEqualTo(K);
        assertThat(state.manifest().losses()).isEqualTo(uninterrupted.losses().subList(0, K));

        // a new process in all but name: the policy from disk, a new reference, new trainer and loop objects
        TrainingResult resumed;
        try (PolicyModel policy = PolicyModel.load(state.modelDir());
                PolicyModel reference = PolicyModel.create(POLICY, 5)) {
            PreferenceTrainer trainer = PreferenceTrainer.builder(new DpoLoss(), CONFIG).setStateDir(states).build();
            resumed = trainer.resume(state, policy, trainer.referenceLogProbs(reference, DATA), DATA);
            assertThat(PolicyParameters.maxDifference(PolicyParameters.of(policy), uninterruptedParameters))
                    .isLessThanOrEqualTo(1e-6);
        }
        assertThat(resumed.losses().get(K)).isEqualTo(uninterrupted.losses().get(K));
        assertThat(resumed.losses()).hasSize(2 * K);
        for (int step = 0; step < 2 * K; step++) {
            assertThat(resumed.losses().get(step)).isCloseTo(uninterrupted.losses().get(step),
                    within(1e-6));
        }
        assertThat(names(states)).containsExactly(String.format("step-%08d", 2 * K));
        assertThat(store.latest().orElseThrow().manifest().history()).hasSize(2 * K);
    }

    @Test
    void resume_otherConfigOrData_isRefused() throws Exception {
        Path states = root.resolve("states");
        TrainingConfig config = CONFIG.toBuilder().setSteps(2).setWarmupSteps(0).setCheckpointEvery(1).build();
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 5);
                PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer trainer = PreferenceTrainer.builder(new DpoLoss(), config).setStateDir(states).build();
            ReferenceLogProbs referenceLogProbs = trainer.referenceLogProbs(reference, DATA);
            trainer.train(policy, referenceLogProbs, DATA);
            TrainingState state = new TrainingStateStore(states).latest().orElseThrow();

            PreferenceTrainer otherRate = new PreferenceTrainer(new DpoLoss(),
                    config.toBuilder().setLearningRate(5e-3).build());
            assertThatThrownBy(() -> otherRate.resume(state, policy, referenceLogProbs, DATA))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config");
            List<PreferenceExample> fewer = DATA.subList(0, 10);
            assertThatThrownBy(() -> trainer.resume(state, policy, trainer.referenceLogProbs(reference, fewer), fewer))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("examples.sha256");
        }
    }

    @Test
    void open_incompleteFolder_isRefusedAndLatestSkipsIt() throws Exception {
        Path states = root.resolve("states");
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 5);
                PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer.builder(new DpoLoss(), CONFIG.toBuilder().setSteps(2).setWarmupSteps(0).build())
                    .setStateDir(states).build().train(policy, reference, DATA);
        }
        Path complete = states.resolve("step-00000002");
        Path incomplete = states.resolve("step-00000009");
        Files.createDirectories(incomplete.resolve(TrainingState.MODEL_DIR));
        Files.copy(complete.resolve(TrainingState.MANIFEST_FILE), incomplete.resolve(TrainingState.MANIFEST_FILE));

        assertThatThrownBy(() -> TrainingState.open(incomplete)).isInstanceOf(IOException.class)
                .hasMessageContaining("incomplete");
        assertThat(new TrainingStateStore(states).latest().orElseThrow().dir()).isEqualTo(complete);
    }

    @Test
    void write_failingMidway_publishesNothing() throws Exception {
        Path states = root.resolve("states");
        TrainingStateStore store = new TrainingStateStore(states);
        TrainingState.Manifest manifest = new TrainingState.Manifest(TrainingState.Manifest.FORMAT_VERSION,
                Instant.EPOCH, 1, 2, 8, CONFIG, Duration.ofSeconds(1),
                List.of(Map.of("loss", 0.69)), Map.of());
        try (AdamW optimizer = AdamW.of(CONFIG)) {
            assertThatThrownBy(() -> store.write(manifest, dir -> {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("partial.params"), "half");
                throw new IOException("disk full");
            }, optimizer)).hasMessageContaining("disk full");
        }
        assertThat(names(states)).isEmpty();
        assertThat(store.latest()).isEmpty();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
