package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.DpoMetrics;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoTrainerTest {
    static final PolicyConfig SMALL =
            PolicyConfig.builder().setContextLength(32).setLayers(2).setHeads(4).setWidth(32).build();

    /** Whatever the prompt, "yes" is preferred to "no". */
    static final List<PreferenceExample> TOY = List.of(
            PreferenceExample.of("p1", "a", "yes", "no"),
            PreferenceExample.of("p2", "b", "yes", "no"),
            PreferenceExample.of("p3", "is it?", "yes", "no"),
            PreferenceExample.of("p4", "ok", "yes", "no"));

    @Test
    void train_toyPreference_lossFallsAndChosenMarginRises() {
        TrainingConfig config = TrainingConfig.builder().setSteps(40).setBatchSize(4).setLearningRate(3e-3).build();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            double marginBefore = margin(policy);
            DpoTrainer trainer = new DpoTrainer(config);
            DpoMetrics before = trainer.evaluate(policy, reference, TOY);
            TrainingResult result = trainer.train(policy, reference, TOY);
            DpoMetrics after = trainer.evaluate(policy, reference, TOY);

            assertThat(before.loss()).isCloseTo(Math.log(2), within(1e-5));
            assertThat(result.losses()).hasSize(40);
            assertThat(result.losses().get(0)).isCloseTo(Math.log(2), within(1e-4));
            assertThat(result.finalLoss()).isLessThan(0.5);
            assertThat(after.loss()).isLessThan(0.5);
            assertThat(after.rewardAccuracy()).isEqualTo(1.0);
            assertThat(after.rewardsChosen()).isGreaterThan(after.rewardsRejected());
            assertThat(margin(policy)).isGreaterThan(marginBefore + 2);
            assertThat(result.finalMetrics()).containsKeys("loss", "rewards/chosen", "rewards/rejected",
                    "rewards/accuracy", "rewards/margin", "grad_norm");
            // the reference is a separate copy: training the policy left it where it was
            assertThat(margin(reference)).isCloseTo(marginBefore, within(1e-4));
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
            new DpoTrainer(TrainingConfig.builder().setSteps(8).setBatchSize(2).build(),
                    progress -> arrays.add(policy.managedArrayCount()))
                    .train(policy, reference, TOY);
            int afterTraining = policy.managedArrayCount();
            // step 1 adds AdamW's two moment arrays per parameter; nothing may accumulate after that
            assertThat(arrays.subList(1, arrays.size())).containsOnly(arrays.get(0));
            assertThat(afterTraining).isLessThanOrEqualTo(arrays.get(0));
        }
    }

    @Test
    void train_progress_reportsEveryStepWithEta() {
        List<TrainingProgress> seen = new ArrayList<>();
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            new DpoTrainer(TrainingConfig.builder().setEpochs(2).setBatchSize(3).build(), seen::add)
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
            TrainingResult result = new DpoTrainer(TrainingConfig.builder().setSteps(10).setBatchSize(4)
                    .setLearningRate(3e-3).build()).train(policy, policy, TOY);
            assertThat(result.finalLoss()).isLessThan(result.losses().get(0) - 0.1);
            assertThat(margin(policy)).isGreaterThan(before + 1);
        }
    }

    @Test
    void train_frozenPolicy_isRefused() {
        try (PolicyModel policy = PolicyModel.create(SMALL, 1); PolicyModel reference = policy.frozenCopy()) {
            assertThatThrownBy(() -> new DpoTrainer(TrainingConfig.defaults()).train(reference, policy, TOY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frozen");
            assertThatThrownBy(() -> new DpoTrainer(TrainingConfig.defaults()).train(policy, reference, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no preference examples");
        }
    }

    private static List<Double> lossesOfFreshRun(TrainingConfig config) {
        try (PolicyModel policy = PolicyModel.create(SMALL, 3); PolicyModel reference = policy.frozenCopy()) {
            return new DpoTrainer(config).train(policy, reference, TOY).losses();
        }
    }

    /** Mean over the toy prompts of log π(yes | x) − log π(no | x). */
    private static double margin(PolicyModel model) {
        double sum = 0;
        for (PreferenceExample e : TOY) {
            sum += model.logProbs(List.of(new PromptResponse(e.prompt(), e.chosen()))).get(0).logProb()
                    - model.logProbs(List.of(new PromptResponse(e.prompt(), e.rejected()))).get(0).logProb();
        }
        return sum / TOY.size();
    }
}
