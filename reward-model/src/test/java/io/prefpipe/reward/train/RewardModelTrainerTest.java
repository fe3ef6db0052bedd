package io.prefpipe.reward.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.reward.loss.PairwiseMetrics;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.model.TrainingRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelTrainerTest {
    static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2).setWidth(16).build();

    /** Whatever the prompt, "yes" is preferred to "no". */
    static final List<PreferenceExample> TOY = IntStream.range(0, 8)
            .mapToObj(i -> PreferenceExample.of("p" + i, "question " + i, "yes", "no"))
            .toList();

    static RewardTrainingConfig config(TrainingConfig training, double heldOut) {
        return RewardTrainingConfig.builder().setTraining(training).setHeldOutFraction(heldOut).build();
    }

    @Test
    void train_toyPreference_ranksEveryPairAndRecordsTheRun(@TempDir Path dir) throws IOException {
        // ⌈0.25 · 8⌉ = 2 pairs held out, 6 trained on
        RewardTrainingConfig config = config(TrainingConfig.builder().setSteps(30).setBatchSize(3)
                .setLearningRate(3e-3).build(), 0.25);
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            RewardTrainingResult result = new RewardModelTrainer(config).train(model, TOY, "toy");

            assertThat(result.training().losses()).hasSize(30);
            assertThat(result.training().finalMetrics()).containsKeys("loss", "accuracy", "margin", "grad_norm");
            assertThat(result.train().pairs()).isEqualTo(6);
            assertThat(result.train().accuracy()).isEqualTo(1.0);
            assertThat(result.train().loss()).isLessThan(0.1);
            assertThat(result.heldOut().pairs()).isEqualTo(2);
            assertThat(result.heldOut().accuracy()).isEqualTo(1.0);
            assertThat(result.heldOutMetrics()).contains(result.heldOut());
            assertThat(model.score("question 9", "yes")).isGreaterThan(model.score("question 9", "no"));

            assertThat(model.info().training()).hasSize(1);
            TrainingRecord run = model.info().training().get(0);
            assertThat(run.source()).isEqualTo("toy");
            assertThat(run.pairs()).isEqualTo(8);
            assertThat(run.heldOutPairs()).isEqualTo(2);
            assertThat(run.pairsSha256()).hasSize(64).isEqualTo(recordOfAnotherRun(TOY).pairsSha256());
            assertThat(run.training()).isEqualTo(config.training());
            assertThat(run.train()).isEqualTo(result.train());
            assertThat(run.heldOut()).isEqualTo(result.heldOut());

            model.save(dir);
            try (RewardModel loaded = RewardModel.load(dir)) {
                assertThat(loaded.info()).isEqualTo(model.info());
            }
        }
    }

    @Test
    void train_otherPairs_otherFingerprint() {
        List<PreferenceExample> swapped = new ArrayList<>(TOY);
        swapped.set(0, PreferenceExample.of("p0", "question 0", "no", "yes"));
        assertThat(recordOfAnotherRun(swapped).pairsSha256()).isNotEqualTo(recordOfAnotherRun(TOY).pairsSha256());
    }

    @Test
    void train_sameSeed_identicalRuns_otherSeed_otherRun() {
        TrainingConfig training = TrainingConfig.builder().setSteps(5).setBatchSize(3).setSeed(5).build();
        assertThat(lossesOfFreshRun(training)).isEqualTo(lossesOfFreshRun(training));
        assertThat(lossesOfFreshRun(TrainingConfig.builder().setSteps(5).setBatchSize(3).setSeed(6).build()))
                .isNotEqualTo(lossesOfFreshRun(training));
    }

    @Test
    void train_gradientAccumulation_matchesTheWholeBatch() {
        // 2 micro-batches of 2 pairs, each weighted 1/2, take the same steps as one batch of 4 (the sampler draws
        // examplesPerStep = 4 indices either way)
        double[] whole = scoresAfter(TrainingConfig.builder().setSteps(3).setBatchSize(4).build());
        double[] accumulated = scoresAfter(TrainingConfig.builder().setSteps(3).setBatchSize(2)
                .setGradientAccumulation(2).build());
        assertThat(accumulated).containsExactly(whole, within(1e-4));
        // and differ from a run that took steps of 2 pairs
        assertThat(scoresAfter(TrainingConfig.builder().setSteps(3).setBatchSize(2).build())[0])
                .isNotCloseTo(whole[0], within(1e-4));
    }

    @Test
    void train_manySteps_nativeMemoryStaysFlat() {
        List<Integer> arrays = new ArrayList<>();
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            new RewardModelTrainer(config(TrainingConfig.builder().setSteps(8).setBatchSize(2).build(), 0),
                    progress -> arrays.add(model.managedArrayCount()))
                    .train(model, TOY);
            // step 1 adds AdamW's moments; nothing may accumulate after that
            assertThat(arrays.subList(1, arrays.size())).containsOnly(arrays.get(0));
        }
    }

    @Test
    void train_noHeldOut_hasNoHeldOutMetrics() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            RewardTrainingResult result = new RewardModelTrainer(
                    config(TrainingConfig.builder().setSteps(1).build(), 0)).train(model, TOY);
            assertThat(result.heldOut()).isNull();
            assertThat(result.heldOutMetrics()).isEmpty();
            assertThat(result.train().pairs()).isEqualTo(8);
            assertThat(model.info().training().get(0).heldOutPairs()).isZero();
        }
    }

    @Test
    void evaluate_identicalResponses_areTiesAtLog2() {
        // r_c = r_r for every pair: no pair is ranked right, −log σ(0) = log 2, margin 0
        List<PreferenceExample> ties = List.of(PreferenceExample.of("a", "x", "same", "same"),
                PreferenceExample.of("b", "y", "also same", "also same"));
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            PairwiseMetrics metrics = RewardModelTrainer.evaluate(model, ties);
            assertThat(metrics.pairs()).isEqualTo(2);
            assertThat(metrics.accuracy()).isZero();
            assertThat(metrics.loss()).isCloseTo(Math.log(2), within(1e-12));
            assertThat(metrics.meanMargin()).isZero();
        }
    }

    @Test
    void train_tooFewPairs_isRefused() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            RewardModelTrainer trainer = new RewardModelTrainer(RewardTrainingConfig.defaults());
            assertThatThrownBy(() -> trainer.train(model, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no preference examples");
            // ⌈0.1 · 1⌉ = 1 held out of 1
            assertThatThrownBy(() -> trainer.train(model, TOY.subList(0, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none to train on");
            assertThat(model.info().training()).isEmpty();
        }
    }

    private static List<Double> lossesOfFreshRun(TrainingConfig training) {
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            return new RewardModelTrainer(config(training, 0.25)).train(model, TOY).training().losses();
        }
    }

    private static double[] scoresAfter(TrainingConfig training) {
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            new RewardModelTrainer(config(training, 0)).train(model, TOY);
            return model.score(List.of(new PromptResponse("q", "yes"), new PromptResponse("q", "no")));
        }
    }

    private static TrainingRecord recordOfAnotherRun(List<PreferenceExample> pairs) {
        try (RewardModel model = RewardModel.create(TINY, 2)) {
            new RewardModelTrainer(config(TrainingConfig.builder().setSteps(1).build(), 0.25)).train(model, pairs);
            return model.info().training().get(0);
        }
    }
}
