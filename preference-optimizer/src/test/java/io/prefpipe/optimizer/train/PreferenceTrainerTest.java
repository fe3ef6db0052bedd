package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.loss.IpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferenceTrainerTest {
    static final PolicyConfig SMALL =
            PolicyConfig.builder().setContextLength(32).setLayers(2).setHeads(4).setWidth(32).build();

    /** Whatever the prompt, "yes" is preferred to "no". */
    static final List<PreferenceExample> TOY = List.of(
            PreferenceExample.of("p1", "a", "yes", "no"),
            PreferenceExample.of("p2", "b", "yes", "no"),
            PreferenceExample.of("p3", "is it?", "yes", "no"),
            PreferenceExample.of("p4", "ok", "yes", "no"));

    /** Twelve distinct pairs of different lengths, so batches of different composition give different gradients. */
    static final List<PreferenceExample> VARIED = List.of(
            PreferenceExample.of("v1", "sky", "blue", "green"),
            PreferenceExample.of("v2", "grass", "green", "purple!"),
            PreferenceExample.of("v3", "2+2", "4", "five"),
            PreferenceExample.of("v4", "hello", "hi there", "go away"),
            PreferenceExample.of("v5", "sun", "hot", "cold"),
            PreferenceExample.of("v6", "snow", "white", "black"),
            PreferenceExample.of("v7", "cat", "meow", "woof woof"),
            PreferenceExample.of("v8", "dog", "woof", "meow"),
            PreferenceExample.of("v9", "fire", "warm", "icy"),
            PreferenceExample.of("v10", "night", "dark", "bright"),
            PreferenceExample.of("v11", "sea", "salty water", "sweet"),
            PreferenceExample.of("v12", "ice", "frozen", "boiling"));

    @Test
    void train_dpoOnToyPreference_lossFallsAndChosenMarginRises() {
        TrainingConfig config = TrainingConfig.builder().setSteps(40).setBatchSize(4).setLearningRate(3e-3).build();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            double marginBefore = margin(policy);
            PreferenceTrainer trainer = new PreferenceTrainer(new DpoLoss(), config);
            ReferenceLogProbs referenceLogProbs = trainer.referenceLogProbs(reference, TOY);
            Map<String, Double> before = trainer.evaluate(policy, referenceLogProbs, TOY);
            TrainingResult result = trainer.train(policy, referenceLogProbs, TOY);
            Map<String, Double> after = trainer.evaluate(policy, referenceLogProbs, TOY);

            assertThat(before.get("loss")).isCloseTo(Math.log(2), within(1e-5));
            assertThat(result.losses()).hasSize(40);
            assertThat(result.losses().get(0)).isCloseTo(Math.log(2), within(1e-4));
            assertThat(result.finalLoss()).isLessThan(0.5);
            assertThat(after.get("loss")).isLessThan(0.5);
            assertThat(after.get("rewards/accuracy")).isEqualTo(1.0);
            assertThat(after.get("rewards/chosen")).isGreaterThan(after.get("rewards/rejected"));
            assertThat(margin(policy)).isGreaterThan(marginBefore + 2);
            assertThat(result.finalMetrics()).containsKeys("loss", "rewards/chosen", "rewards/rejected",
                    "rewards/accuracy", "rewards/margin", "grad_norm", "learning_rate");
            assertThat(result.finalMetrics().get("learning_rate")).isEqualTo(3e-3);
            // the reference is a separate copy: training the policy left it where it was
            assertThat(margin(reference)).isCloseTo(marginBefore, within(1e-4));
        }
    }

    @Test
    void train_anotherPairwiseLoss_optimizesIt() {
        TrainingConfig config = TrainingConfig.builder().setSteps(30).setBatchSize(4).setLearningRate(3e-3)
                .setBeta(0.5).build();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            double marginBefore = margin(policy);
            TrainingResult result = new PreferenceTrainer(new IpoLoss(0.5), config).train(policy, reference, TOY);
            assertThat(result.finalLoss()).isLessThan(result.losses().get(0));
            assertThat(margin(policy)).isGreaterThan(marginBefore + 0.2);
        }
    }

    @Test
    void train_gradientAccumulation_equalsOneBigBatch() {
        // Adam divides by √v, so rounding noise in near-zero gradient components (batches of 4 and of 8 pad to
        // different lengths and multiply in different shapes) moves a parameter by up to ~1% of a step: the learning
        // rate keeps that under the tolerance
        TrainingConfig big = TrainingConfig.builder().setSteps(4).setBatchSize(8).setLearningRate(5e-4)
                .setMaxGradNorm(0.5).build();
        TrainingConfig accumulated = big.toBuilder().setBatchSize(4).setGradientAccumulation(2).build();
        try (PolicyModel initial = PolicyModel.create(SMALL, 7)) {
            Map<String, float[]> start = PolicyParameters.of(initial);
            Run a = runOn(VARIED, big, 7);
            Run b = runOn(VARIED, accumulated, 7);

            assertThat(PolicyParameters.maxDifference(a.parameters(), start)).isGreaterThan(1e-3);
            assertThat(PolicyParameters.maxDifference(a.parameters(), b.parameters())).isLessThan(1e-5);
            for (int step = 0; step < 4; step++) {
                assertThat(b.result().losses().get(step)).isCloseTo(a.result().losses().get(step), within(1e-5));
            }
            // the norm is of the summed gradient before clipping (which is on: it is above 0.5); micro-batch losses
            // not scaled by their share would double it
            assertThat(a.result().finalMetrics().get("grad_norm")).isGreaterThan(0.5);
            assertThat(b.result().finalMetrics().get("grad_norm"))
                    .isCloseTo(a.result().finalMetrics().get("grad_norm"), within(1e-4));
        }
    }

    record Run(TrainingResult result, Map<String, float[]> parameters) {}

    static Run runOn(List<PreferenceExample> examples, TrainingConfig config, long policySeed) {
        try (PolicyModel policy = PolicyModel.create(SMALL, policySeed); PolicyModel reference = policy.frozenCopy()) {
            TrainingResult result = new PreferenceTrainer(new DpoLoss(config.beta()), config)
                    .train(policy, reference, examples);
            return new Run(result, PolicyParameters.of(policy));
        }
    }

    @Test
    void train_warmup_firstStepHasRateZero() {
        TrainingConfig config = TrainingConfig.builder().setSteps(4).setBatchSize(2).setWarmupSteps(2)
                .setSchedule(LearningRateDecay.LINEAR).setMinLearningRateRatio(0.5).build();
        List<Double> rates = new ArrayList<>();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            Map<String, float[]> before = PolicyParameters.of(policy);
            PreferenceTrainer trainer = PreferenceTrainer.builder(new DpoLoss(), config)
                    .setListener(p -> rates.add(p.metrics().get("learning_rate"))).build();
            trainer.train(policy, reference, TOY);
            assertThat(rates).containsExactly(0.0, 0.5e-3, 1e-3, 0.5e-3);
            assertThat(PolicyParameters.maxDifference(before, PolicyParameters.of(policy))).isPositive();
        }
    }

    @Test
    void train_sameSeed_identicalLosses() {
        TrainingConfig config = TrainingConfig.builder().setSteps(6).setBatchSize(3).setSeed(5).build();
        assertThat(lossesOfFreshRun(config)).isEqualTo(lossesOfFreshRun(config));
        assertThat(lossesOfFreshRun(TrainingConfig.builder().setSteps(6).setBatchSize(3).setSeed(6).build()))
                .isNotEqualTo(lossesOfFreshRun(config));
    }

    @Test
    void train_manySteps_nativeMemoryStaysFlat() {
        List<Integer> arrays = new ArrayList<>();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer.builder(new DpoLoss(),
                            TrainingConfig.builder().setSteps(8).setBatchSize(2).setGradientAccumulation(2).build())
                    .setListener(progress -> arrays.add(policy.managedArrayCount()))
                    .build()
                    .train(policy, reference, TOY);
            int afterTraining = policy.managedArrayCount();
            assertThat(arrays.subList(1, arrays.size())).containsOnly(arrays.get(0));
            assertThat(afterTraining).isLessThanOrEqualTo(arrays.get(0));
        }
    }

    @Test
    void train_progress_reportsEveryStepWithEta() {
        List<TrainingProgress> seen = new ArrayList<>();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer.builder(new DpoLoss(), TrainingConfig.builder().setEpochs(2).setBatchSize(3).build())
                    .setListener(seen::add).build()
                    .train(policy, reference, TOY);
        }
        // 2 epochs of 4 pairs in batches of 3: ⌈8 / 3⌉ = 3 steps
        assertThat(seen).extracting(TrainingProgress::step).containsExactly(1, 2, 3);
        assertThat(seen).allSatisfy(p -> assertThat(p.totalSteps()).isEqualTo(3));
        assertThat(seen.get(2).eta()).isZero();
        assertThat(seen.get(0).stepsPerSecond()).isPositive();
    }

    @Test
    void train_policyLoadedFromDisk_learns(@TempDir Path dir) throws Exception {
        try (PolicyModel original = PolicyModel.create(SMALL, 1)) {
            original.save(dir);
        }
        try (PolicyModel policy = PolicyModel.load(dir)) {
            double before = margin(policy);
            // the policy as its own reference: reference log-probabilities are all taken before the first step
            TrainingResult result = new PreferenceTrainer(new DpoLoss(), TrainingConfig.builder().setSteps(10)
                    .setBatchSize(4).setLearningRate(3e-3).build()).train(policy, policy, TOY);
            assertThat(result.finalLoss()).isLessThan(result.losses().get(0) - 0.1);
            assertThat(margin(policy)).isGreaterThan(before + 1);
        }
    }

    @Test
    void train_referenceCacheDir_storesTheReferenceLogProbabilities(@TempDir Path dir) throws Exception {
        TrainingConfig config = TrainingConfig.builder().setSteps(1).setBatchSize(4).build();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer.builder(new DpoLoss(), config).setReferenceCacheDir(dir).build()
                    .train(policy, reference, TOY);
            Path file = dir.resolve(ReferenceLogProbs.FILE_PREFIX + ReferenceLogProbs.digest(TOY).substring(0, 16)
                    + ".bin");
            assertThat(file).isRegularFile();
            // training moved the policy, not the reference: the cache still holds the reference's values
            assertThat(ReferenceLogProbs.cached(dir, reference, TOY).chosen(new int[] {0, 1}))
                    .containsExactly(ReferenceLogProbs.score(reference, TOY).chosen(new int[] {0, 1}));
        }
    }

    @Test
    void train_invalidInput_isRefused() {
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            PreferenceTrainer trainer = new PreferenceTrainer(new DpoLoss(), TrainingConfig.defaults());
            assertThatThrownBy(() -> trainer.train(reference, policy, TOY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frozen");
            assertThatThrownBy(() -> trainer.train(policy, reference, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no preference examples");
            ReferenceLogProbs ofToy = trainer.referenceLogProbs(reference, TOY);
            assertThatThrownBy(() -> trainer.train(policy, ofToy, TOY.subList(0, 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other examples");
        }
        assertThatThrownBy(() -> new PreferenceTrainer(new DpoLoss(0.5), TrainingConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }

    private static List<Double> lossesOfFreshRun(TrainingConfig config) {
        try (PolicyModel policy = PolicyModel.create(SMALL, 3); PolicyModel reference = policy.frozenCopy()) {
            return new PreferenceTrainer(new DpoLoss(), config).train(policy, reference, TOY).losses();
        }
    }

    /** Mean over the toy prompts of log π(yes | x) − log π(no | x). */
    static double margin(PolicyModel model) {
        double sum = 0;
        for (PreferenceExample e : TOY) {
            sum += model.logProbs(List.of(new PromptResponse(e.prompt(), e.chosen()))).get(0).logProb()
                    - model.logProbs(List.of(new PromptResponse(e.prompt(), e.rejected()))).get(0).logProb();
        }
        return sum / TOY.size();
    }
}
