package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListwiseTrainerTest {

    private static final PolicyConfig TINY = PolicyConfig.builder().setContextLength(32).setLayers(1).setWidth(32)
            .setHeads(2).build();

    /** Lists of four responses whose grade is the number of 'a's; the lists differ in order and prompt. */
    private static List<RankedExample> lists() {
        String[] responses = {"aaa", "aab", "abb", "bbb"};
        List<RankedExample> lists = new ArrayList<>();
        for (int l = 0; l < 12; l++) {
            List<String> order = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int r = (i + l) % 4;
                order.add(responses[r]);
                labels.add((3 - r) / 3.0);
            }
            lists.add(new RankedExample("l" + l, "p" + (l % 3), order, labels));
        }
        return lists;
    }

    private static double logRatio(PolicyModel policy, PolicyModel reference, String response) {
        List<PromptResponse> pair = List.of(new PromptResponse("p0", response));
        return policy.logProbs(pair).get(0).logProb() - reference.logProbs(pair).get(0).logProb();
    }

    @Test
    void train_ranksTheResponsesInTheOrderOfTheirGrades() {
        TrainingConfig config = TrainingConfig.builder().setSteps(40).setBatchSize(4).setLearningRate(3e-3)
                .setBeta(0.5).setSeed(1).build();
        try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
            TrainingResult result = new ListwiseTrainer(new LipoLambdaLoss(0.5), config, TrainingListener.NONE)
                    .train(policy, reference, lists());
            double best = logRatio(policy, reference, "aaa");
            double second = logRatio(policy, reference, "aab");
            double worst = logRatio(policy, reference, "bbb");
            assertThat(best).isGreaterThan(second);
            assertThat(second).isGreaterThan(worst);
            assertThat(result.finalMetrics().get("rewards/accuracy")).isEqualTo(1.0);
            assertThat(result.losses().get(result.losses().size() - 1)).isLessThan(result.losses().get(0));
        }
    }

    @Test
    void train_sameSeed_sameLosses() {
        TrainingConfig config = TrainingConfig.builder().setSteps(3).setBatchSize(3).setLearningRate(1e-3)
                .setBeta(0.5).setSeed(2).build();
        List<List<Double>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
                runs.add(new ListwiseTrainer(new LipoLambdaLoss(0.5), config, TrainingListener.NONE)
                        .train(policy, reference, lists()).losses());
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
    }

    @Test
    void train_noLists_isRefused() {
        try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
            assertThatThrownBy(() -> new ListwiseTrainer(new LipoLambdaLoss(0.5), TrainingConfig.defaults(),
                    TrainingListener.NONE).train(policy, reference, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ranked lists");
        }
    }

    @Test
    void train_gradientAccumulation_takesTheStepsOfTheWholeBatch() {
        TrainingConfig whole = TrainingConfig.builder().setSteps(3).setBatchSize(4).setLearningRate(3e-3)
                .setBeta(0.5).setSeed(4).build();
        Map<String, float[]> wholeParameters = parametersAfter(whole);
        Map<String, float[]> accumulated =
                parametersAfter(whole.toBuilder().setBatchSize(2).setGradientAccumulation(2).build());
        Map<String, float[]> halfSteps = parametersAfter(whole.toBuilder().setBatchSize(2).build());
        assertThat(PolicyParameters.maxDifference(accumulated, wholeParameters)).isLessThan(1e-5);
        assertThat(PolicyParameters.maxDifference(halfSteps, wholeParameters)).isGreaterThan(1e-4);
    }

    @Test
    void resume_afterACrash_continuesExactlyAsTheUninterruptedRun(@TempDir Path root) throws IOException {
        TrainingConfig config = TrainingConfig.builder().setSteps(4).setBatchSize(2).setGradientAccumulation(2)
                .setLearningRate(3e-3).setBeta(0.5).setSeed(6).setCheckpointEvery(2).build();
        TrainingResult uninterrupted;
        Map<String, float[]> uninterruptedParameters;
        try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
            uninterrupted = ListwiseTrainer.builder(new LipoLambdaLoss(0.5), config).build()
                    .train(policy, reference, lists());
            uninterruptedParameters = PolicyParameters.of(policy);
        }
        Path states = root.resolve("states");
        try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
            ListwiseTrainer crashing = ListwiseTrainer.builder(new LipoLambdaLoss(0.5), config).setStateDir(states)
                    .setListener(progress -> {
                        if (progress.step() == 3) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }).build();
            assertThatThrownBy(() -> crashing.train(policy, reference, lists()))
                    .hasMessageContaining("simulated crash");
        }
        TrainingState state = new TrainingStateStore(states).latest().orElseThrow();
        assertThat(state.manifest().step()).isEqualTo(2);

        ListwiseTrainer trainer = ListwiseTrainer.builder(new LipoLambdaLoss(0.5), config).setStateDir(states).build();
        try (PolicyModel policy = PolicyModel.load(state.modelDir());
                PolicyModel reference = PolicyModel.create(TINY, 3)) {
            TrainingResult resumed = trainer.resume(state, policy, reference, lists());
            assertThat(resumed.losses()).hasSize(4);
            assertThat(resumed.losses().get(2)).isEqualTo(uninterrupted.losses().get(2));
            assertThat(resumed.losses().get(3)).isCloseTo(uninterrupted.losses().get(3), within(1e-6));
            assertThat(PolicyParameters.maxDifference(PolicyParameters.of(policy), uninterruptedParameters))
                    .isLessThanOrEqualTo(1e-6);
        }
        TrainingState last = new TrainingStateStore(states).latest().orElseThrow();
        try (PolicyModel policy = PolicyModel.load(last.modelDir());
                PolicyModel reference = PolicyModel.create(TINY, 3)) {
            assertThatThrownBy(() -> trainer.resume(last, policy, reference, lists().subList(0, 6)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lists.sha256");
        }
    }

    private static Map<String, float[]> parametersAfter(TrainingConfig config) {
        try (PolicyModel policy = PolicyModel.create(TINY, 3); PolicyModel reference = policy.frozenCopy()) {
            new ListwiseTrainer(new LipoLambdaLoss(0.5), config, TrainingListener.NONE)
                    .train(policy, reference, lists());
            return PolicyParameters.of(policy);
        }
    }
}
