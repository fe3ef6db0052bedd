package io.prefpipe.reward.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.reward.model.RewardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Science test: a reward model trained on noise-free preferences of the {@link SyntheticWorld} ranks held-out pairs
 * by their true reward r*. As usual, the reward model starts from a policy fine-tuned on base responses (SFT):
 * next-byte prediction teaches the backbone words and their topics, which the Bradley-Terry signal alone (one bit per
 * pair) does not within this budget.
 */
class SyntheticRewardModelTest {

    private static final Logger LOG = LoggerFactory.getLogger(SyntheticRewardModelTest.class);

    private static final PolicyConfig SMALL = PolicyConfig.builder().setLayers(2).setHeads(4).setWidth(32).build();

    @Test
    void noiseFreeSyntheticPreferences_rankedByTrueRewardOnHeldOutPairs() {
        SyntheticWorld world = new SyntheticWorld();
        List<PreferenceExample> pairs = noiseFreePairs(world, 8000, 7);
        RewardTrainingConfig config = RewardTrainingConfig.builder()
                .setTraining(TrainingConfig.builder().setSteps(1000).setBatchSize(16).setLearningRate(1e-3)
                        .setSeed(1).build())
                .build();
        List<PreferenceExample> heldOut =
                HeldOutSplit.of(pairs, config.heldOutFraction(), config.splitSeed()).heldOut();
        long start = System.nanoTime();
        RewardTrainingResult result;
        double correlation;
        try (PolicyModel policy = PolicyModel.create(SMALL, 1)) {
            new SftTrainer(TrainingConfig.builder().setSteps(2000).setBatchSize(16).setLearningRate(3e-3).setSeed(2)
                    .build(), TrainingListener.logging(500))
                    .train(policy, baseResponses(world, 16000, 3));
            try (RewardModel model = RewardModel.fromPolicy(policy, 1)) {
                result = new RewardModelTrainer(config, TrainingListener.logging(250)).train(model, pairs, "synthetic");
                correlation = correlationWithTrueReward(world, model, heldOut);
            }
        }
        LOG.info("synthetic reward model: held-out accuracy {} (BT loss {}) on {} pairs, train accuracy {}, Pearson"
                + " correlation with r* on held-out responses {}, {} s", result.heldOut().accuracy(),
                result.heldOut().loss(), result.heldOut().pairs(), result.train().accuracy(), correlation,
                (System.nanoTime() - start) / 1_000_000_000);

        assertThat(result.heldOut().pairs()).isEqualTo(800);
        // chance is 0.5; the best hand-made cue, (answer words − rude words) / words, ranks 0.70 of such pairs right;
        // runs measured 0.71 to 0.75. A bag-of-words logistic regression, blind to the prompt's topic, reaches
        // about 0.80, which this model approaches only with about 3 minutes of training (4000 SFT and 2000 reward
        // steps); trained from scratch it stays near 0.70 even after 8000 steps
        assertThat(result.heldOut().accuracy()).isGreaterThanOrEqualTo(0.70);
        assertThat(correlation).isGreaterThanOrEqualTo(0.5);
    }

    /** Pearson correlation between r(x, y) and r*(x, y) over both responses of every pair. */
    private static double correlationWithTrueReward(SyntheticWorld world, RewardModel model,
            List<PreferenceExample> pairs) {
        List<PromptResponse> responses = new ArrayList<>();
        for (PreferenceExample pair : pairs) {
            responses.add(new PromptResponse(pair.prompt(), pair.chosen()));
            responses.add(new PromptResponse(pair.prompt(), pair.rejected()));
        }
        double[] predicted = model.score(responses);
        double[] truth = responses.stream().mapToDouble(r -> world.reward(r.prompt(), r.response())).toArray();
        int n = truth.length;
        double meanPredicted = Arrays.stream(predicted).average().orElseThrow();
        double meanTruth = Arrays.stream(truth).average().orElseThrow();
        double covariance = 0;
        double varPredicted = 0;
        double varTruth = 0;
        for (int i = 0; i < n; i++) {
            covariance += (predicted[i] - meanPredicted) * (truth[i] - meanTruth);
            varPredicted += (predicted[i] - meanPredicted) * (predicted[i] - meanPredicted);
            varTruth += (truth[i] - meanTruth) * (truth[i] - meanTruth);
        }
        return covariance / Math.sqrt(varPredicted * varTruth);
    }

    /** Base responses to training prompts, the corpus of the SFT warm-up. */
    private static List<PromptResponse> baseResponses(SyntheticWorld world, int n, long seed) {
        Random random = new Random(seed);
        List<PromptResponse> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prompt = world.samplePrompt(random);
            responses.add(new PromptResponse(prompt, world.sampleResponse(prompt, random)));
        }
        return responses;
    }

    /** Pairs of two base responses to a training prompt, chosen = the higher r*; equal r* carry no preference. */
    private static List<PreferenceExample> noiseFreePairs(SyntheticWorld world, int n, long seed) {
        Random random = new Random(seed);
        List<PreferenceExample> pairs = new ArrayList<>(n);
        while (pairs.size() < n) {
            String prompt = world.samplePrompt(random);
            String a = world.sampleResponse(prompt, random);
            String b = world.sampleResponse(prompt, random);
            double ra = world.reward(prompt, a);
            double rb = world.reward(prompt, b);
            if (ra != rb) {
                String id = "syn-" + pairs.size();
                pairs.add(ra > rb ? PreferenceExample.of(id, prompt, a, b) : PreferenceExample.of(id, prompt, b, a));
            }
        }
        return pairs;
    }
}
