package io.prefpipe.reward.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
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

    /** Three lists: 3 graded responses (3 pairs), 2 (1 pair), and 3 with a tie (2 pairs). */
    static final List<RankedExample> LISTS = List.of(
            new RankedExample("a", "question a", List.of("yes", "maybe", "no"), List.of(2.0, 1.0, 0.0)),
            new RankedExample("b", "question b", List.of("no", "yes"), List.of(0.0, 1.0)),
            new RankedExample("c", "question c", List.of("yes", "no", "yes!"), List.of(1.0, 0.0, 1.0)));

    @Test
    void trainRanked_oneStep_takesTheStepOfTrainOnTheImpliedPairs() {
        // one step over all lists (6 implied pairs in one forward pass of 8 responses) is one step over the 6 pairs
        List<PreferenceExample> pairs = LISTS.stream().flatMap(list -> list.pairs().stream()).toList();
        assertThat(pairs).hasSize(6);
        double[] viaLists;
        double[] viaPairs;
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            new RewardModelTrainer(config(TrainingConfig.builder().setSteps(1).setBatchSize(3).setLearningRate(1e-2)
                    .build(), 0)).trainRanked(model, LISTS, "lists");
            viaLists = model.score(PROBES);
        }
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            new RewardModelTrainer(config(TrainingConfig.builder().setSteps(1).setBatchSize(6).setLearningRate(1e-2)
                    .build(), 0)).train(model, pairs, "pairs");
            viaPairs = model.score(PROBES);
        }
        try (RewardModel untrained = RewardModel.create(TINY, 3)) {
            assertThat(differences(untrained.score(PROBES))[0]).isNotCloseTo(differences(viaLists)[0], within(1e-3));
        }
        // Bradley-Terry sees only differences of rewards: a shift of every reward has no gradient, so Adam's first
        // step moves that direction by rounding noise, which differs between the two batchings
        assertThat(differences(viaLists)).containsExactly(differences(viaPairs), within(1e-5));
    }

    @Test
    void trainRanked_gradientAccumulation_weighsListsByTheirPairs() {
        // micro-batches of 1 list hold 3, 1 and 2 pairs; weighted by their share of the step's 6 pairs they sum to
        // the mean over all 6, as one micro-batch of 3 lists does. Equal weights per list would differ.
        double[] whole = scoresAfterLists(TrainingConfig.builder().setSteps(2).setBatchSize(3).build());
        double[] accumulated = scoresAfterLists(TrainingConfig.builder().setSteps(2).setBatchSize(1)
                .setGradientAccumulation(3).build());
        assertThat(differences(accumulated)).containsExactly(differences(whole), within(1e-4));
    }

    @Test
    void trainRanked_holdsOutWholeListsAndCountsTheirPairs() {
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            // ⌈0.3 · 3⌉ = 1 list held out
            RewardTrainingResult result = new RewardModelTrainer(config(TrainingConfig.builder().setSteps(2)
                    .build(), 0.3)).trainRanked(model, LISTS, "lists");
            int heldOutPairs = result.heldOut().pairs();
            assertThat(heldOutPairs).isIn(1, 2, 3);
            assertThat(result.train().pairs() + heldOutPairs).isEqualTo(6);
            TrainingRecord run = model.info().training().get(0);
            assertThat(run.pairs()).isEqualTo(6);
            assertThat(run.heldOutPairs()).isEqualTo(heldOutPairs);
            assertThat(run.source()).isEqualTo("lists");
        }
    }

    @Test
    void trainRanked_listsWithoutPreference_areRefused() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            RewardModelTrainer trainer = new RewardModelTrainer(config(TrainingConfig.defaults(), 0));
            assertThatThrownBy(() -> trainer.trainRanked(model, List.of(), "none"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ranked lists");
            RankedExample tie = new RankedExample("t", "q", List.of("x", "y"), List.of(1.0, 1.0));
            assertThatThrownBy(() -> trainer.trainRanked(model, List.of(LISTS.get(0), tie), "tie"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list t implies no pair");
            assertThat(model.info().training()).isEmpty();
        }
    }

    private static final List<PromptResponse> PROBES = List.of(new PromptResponse("q", "yes"),
            new PromptResponse("q", "no"), new PromptResponse("question a", "maybe"));

    /** r(probe i) − r(probe 0) for i ≥ 1. */
    private static double[] differences(double[] scores) {
        double[] differences = new double[scores.length - 1];
        for (int i = 1; i < scores.length; i++) {
            differences[i - 1] = scores[i] - scores[0];
        }
        return differences;
    }

    private static double[] scoresAfterLists(TrainingConfig training) {
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            new RewardModelTrainer(config(training, 0)).trainRanked(model, LISTS, "lists");
            return model.score(PROBES);
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
