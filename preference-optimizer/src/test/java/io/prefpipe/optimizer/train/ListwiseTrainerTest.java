package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
