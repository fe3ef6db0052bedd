package io.prefpipe.optimizer.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.loss.NashMdLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.train.PolicyParameters;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.optimizer.train.TrainingState;
import io.prefpipe.optimizer.train.TrainingStateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NashMdTrainerTest {

    private static final PolicyConfig TINY = PolicyConfig.builder().setContextLength(32).setLayers(1).setWidth(32)
            .setHeads(2).build();
    private static final SamplingOptions SAMPLING = SamplingOptions.builder().setMaxNewTokens(12).build();
    private static final List<String> PROMPTS = List.of("ab", "cd", "ef", "gh", "ij", "kl", "mn", "op");

    /** Prefers the response with more 'x' bytes; ties are even. */
    private static final PreferenceModel LIKES_X = (prompts, first, second) -> {
        double[] p = new double[prompts.size()];
        for (int i = 0; i < p.length; i++) {
            int c = Long.compare(count(first.get(i)), count(second.get(i)));
            p[i] = c > 0 ? 1 : c < 0 ? 0 : 0.5;
        }
        return p;
    };

    private static long count(String s) {
        return s.chars().filter(c -> c == 'x').count();
    }

    private static double meanX(PolicyModel policy, long seed) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prompts.addAll(PROMPTS);
        }
        return policy.sample(prompts, SamplingOptions.builder().setMaxNewTokens(12).setSeed(seed).build()).stream()
                .mapToLong(s -> count(s.text())).average().orElseThrow();
    }

    @Test
    void train_movesThePolicyTowardWhatThePreferenceModelPrefers() {
        // at a learning rate of 1e-2 the KL to the reference swings up to 30-50 within 60 steps and where the run ends
        // turns on float rounding: seed 3 failed after the fused AdamW and attention kernels came in, though it passed
        // in a later process (6.5 'x'), and of seeds 1-6 (60 steps) seed 2 ended at 0.47 and seed 5 at 1.4. At 3e-3
        // for 100 steps seeds 1-6 all ended between 1.6 and 4.5 'x' per response (measured on the merged kernels)
        TrainingConfig config = TrainingConfig.builder().setSteps(100).setBatchSize(8).setLearningRate(3e-3)
                .setBeta(0.01).setSeed(3).build();
        try (PolicyModel policy = PolicyModel.create(TINY, 11); PolicyModel reference = policy.frozenCopy()) {
            double before = meanX(policy, 99);
            TrainingResult result = NashMdTrainer.builder(new NashMdLoss(0.01), config, SAMPLING).build()
                    .train(policy, reference, LIKES_X, PROMPTS);
            double after = meanX(policy, 99);
            // a uniform policy over 257 ids draws 'x' about 12/257 ≈ 0.05 times per response
            assertThat(before).isLessThan(0.3);
            assertThat(after).isGreaterThan(before + 1.0);
            assertThat(result.finalMetrics()).containsKeys("loss", "kl", "preference", "grad_norm");
            assertThat(result.finalMetrics().get("kl")).isPositive();
        }
    }

    @Test
    void train_sameSeed_sameLosses() {
        TrainingConfig config = TrainingConfig.builder().setSteps(3).setBatchSize(4).setLearningRate(1e-3)
                .setBeta(0.1).setSeed(5).build();
        List<List<Double>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (PolicyModel policy = PolicyModel.create(TINY, 11); PolicyModel reference = policy.frozenCopy()) {
                runs.add(NashMdTrainer.builder(new NashMdLoss(), config, SAMPLING).build()
                        .train(policy, reference, LIKES_X, PROMPTS).losses());
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
    }

    @Test
    void builder_mixtureWeightOutOfRangeOrOtherBeta_isRefused() {
        assertThatThrownBy(() -> NashMdTrainer.builder(new NashMdLoss(), TrainingConfig.defaults(), SAMPLING)
                .setMixtureWeight(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mixtureWeight");
        assertThatThrownBy(() -> NashMdTrainer.builder(new NashMdLoss(0.2), TrainingConfig.defaults(), SAMPLING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }

    @Test
    void train_noPrompts_isRefused() {
        try (PolicyModel policy = PolicyModel.create(TINY, 1); PolicyModel reference = policy.frozenCopy()) {
            assertThatThrownBy(() -> NashMdTrainer.builder(new NashMdLoss(), TrainingConfig.defaults(), SAMPLING)
                    .build().train(policy, reference, LIKES_X, Collections.emptyList()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no prompts");
        }
    }

    @Test
    void train_gradientAccumulation_takesTheStepsOfTheWholeBatch() {
        // greedy decoding makes the samples independent of how a step's prompts are split; a reference other than
        // the policy makes the first step's gradient non-zero (at π_θ = π_ref with y = y' it would vanish)
        SamplingOptions greedy = SamplingOptions.builder().setMaxNewTokens(8).setTemperature(0).build();
        TrainingConfig whole = TrainingConfig.builder().setSteps(3).setBatchSize(4).setLearningRate(1e-2)
                .setBeta(0.1).setSeed(5).build();
        Map<String, float[]> wholeParameters = parametersAfter(whole, greedy);
        Map<String, float[]> accumulated = parametersAfter(
                whole.toBuilder().setBatchSize(2).setGradientAccumulation(2).build(), greedy);
        Map<String, float[]> halfSteps = parametersAfter(whole.toBuilder().setBatchSize(2).build(), greedy);
        assertThat(PolicyParameters.maxDifference(accumulated, wholeParameters)).isLessThan(1e-5);
        assertThat(PolicyParameters.maxDifference(halfSteps, wholeParameters)).isGreaterThan(1e-4);
    }

    @Test
    void resume_afterACrash_continuesExactlyAsTheUninterruptedRun(@TempDir Path root) throws IOException {
        TrainingConfig config = TrainingConfig.builder().setSteps(4).setBatchSize(2).setGradientAccumulation(2)
                .setLearningRate(1e-2).setBeta(0.1).setSeed(7).setCheckpointEvery(2).build();
        TrainingResult uninterrupted;
        Map<String, float[]> uninterruptedParameters;
        try (PolicyModel policy = PolicyModel.create(TINY, 11); PolicyModel reference = policy.frozenCopy()) {
            uninterrupted = NashMdTrainer.builder(new NashMdLoss(), config, SAMPLING).build()
                    .train(policy, reference, LIKES_X, PROMPTS);
            uninterruptedParameters = PolicyParameters.of(policy);
        }
        Path states = root.resolve("states");
        try (PolicyModel policy = PolicyModel.create(TINY, 11); PolicyModel reference = policy.frozenCopy()) {
            NashMdTrainer crashing = NashMdTrainer.builder(new NashMdLoss(), config, SAMPLING).setStateDir(states)
                    .setListener(progress -> {
                        if (progress.step() == 3) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }).build();
            assertThatThrownBy(() -> crashing.train(policy, reference, LIKES_X, PROMPTS))
                    .hasMessageContaining("simulated crash");
        }
        TrainingState state = new TrainingStateStore(states).latest().orElseThrow();
        assertThat(state.manifest().step()).isEqualTo(2);

        NashMdTrainer trainer = NashMdTrainer.builder(new NashMdLoss(), config, SAMPLING).setStateDir(states).build();
        try (PolicyModel policy = PolicyModel.load(state.modelDir());
                PolicyModel reference = PolicyModel.create(TINY, 11)) {
            TrainingResult resumed = trainer.resume(state, policy, reference, LIKES_X, PROMPTS);
            assertThat(resumed.losses()).hasSize(4);
            assertThat(resumed.losses().get(2)).isEqualTo(uninterrupted.losses().get(2));
            assertThat(resumed.losses().get(3)).isCloseTo(uninterrupted.losses().get(3), within(1e-6));
            assertThat(PolicyParameters.maxDifference(PolicyParameters.of(policy), uninterruptedParameters))
                    .isLessThanOrEqualTo(1e-6);
        }
        // the finished run's state replaced the crashed one's
        TrainingState last = new TrainingStateStore(states).latest().orElseThrow();
        assertThat(last.manifest().step()).isEqualTo(4);
        try (PolicyModel policy = PolicyModel.load(last.modelDir());
                PolicyModel reference = PolicyModel.create(TINY, 11)) {
            assertThatThrownBy(() -> trainer.resume(last, policy, reference, LIKES_X, PROMPTS.subList(0, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompts.sha256");
        }
    }

    private static Map<String, float[]> parametersAfter(TrainingConfig config, SamplingOptions sampling) {
        try (PolicyModel policy = PolicyModel.create(TINY, 11); PolicyModel reference = PolicyModel.create(TINY, 12)) {
            NashMdTrainer.builder(new NashMdLoss(), config, sampling).build()
                    .train(policy, reference.frozenCopy(), LIKES_X, PROMPTS);
            return PolicyParameters.of(policy);
        }
    }
}
