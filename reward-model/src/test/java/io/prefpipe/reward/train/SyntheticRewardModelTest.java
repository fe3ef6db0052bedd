package io.prefpipe.reward.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.LearningRateDecay;
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
 * by their true reward r*.
 *
 * <p>Above 0.8 a model must use the prompt's topic: the best topic-blind ranking, a Bradley-Terry fit of one value per
 * word (and one for a repeat) averaged over the response, gets 0.79 of these pairs right, and the topic-aware one 0.99.
 * Three things make a byte-level Transformer learn that within this budget:
 * <ul>
 *   <li>a warm start, as usual, from a policy fine-tuned on base responses (SFT): next-byte prediction teaches the
 *       backbone words and their topics, which one bit per pair does not (from scratch: about 0.72 after 3000 steps);
 *   <li>preferences as ranked lists of 8 responses per prompt, all 28 implied pairs of a list in one step ({@link
 *       RewardModelTrainer#trainRanked}): at equal compute, independent pairs stayed near the topic-blind 0.78;
 *   <li>three layers rather than two (0.82 rather than 0.81 after 2000 list steps).
 * </ul>
 */
class SyntheticRewardModelTest {

    private static final Logger LOG = LoggerFactory.getLogger(SyntheticRewardModelTest.class);

    /**
     * BOS + prompt (at most 27 bytes) + response + EOS fits in 64 bytes for 99% of rows; longer rows lose the start of
     * the prompt, never its last two words (verb and noun, or noun and "tips"), which carry the topic.
     */
    private static final PolicyConfig BACKBONE =
            PolicyConfig.builder().setLayers(3).setHeads(4).setWidth(32).setContextLength(64).build();
    private static final int RESPONSES_PER_PROMPT = 8;

    @Test
    void noiseFreeSyntheticPreferences_rankedByTrueRewardOnHeldOutPairs() {
        SyntheticWorld world = new SyntheticWorld();
        List<RankedExample> lists = noiseFreeLists(world, 3000, 7);
        RewardTrainingConfig config = RewardTrainingConfig.builder()
                .setTraining(TrainingConfig.builder().setSteps(2500).setBatchSize(4).setLearningRate(1e-3)
                        .setWarmupSteps(100).setSchedule(LearningRateDecay.COSINE).setSeed(1).build())
                .build();
        long start = System.nanoTime();
        RewardTrainingResult result;
        double correlation;
        try (PolicyModel policy = PolicyModel.create(BACKBONE, 1)) {
            new SftTrainer(TrainingConfig.builder().setSteps(2000).setBatchSize(16).setLearningRate(3e-3).setSeed(2)
                    .build(), TrainingListener.logging(500))
                    .train(policy, baseResponses(world, 16000, 3));
            try (RewardModel model = RewardModel.fromPolicy(policy, 1)) {
                result = new RewardModelTrainer(config, TrainingListener.logging(500))
                        .trainRanked(model, lists, "synthetic");
                correlation = correlationWithTrueReward(world, model, baseResponses(world, 2000, 9));
            }
        }
        LOG.info("synthetic reward model: held-out accuracy {} (BT loss {}) on {} pairs, train accuracy {}, Pearson"
                + " correlation with r* on fresh responses {}, {} s", result.heldOut().accuracy(),
                result.heldOut().loss(), result.heldOut().pairs(), result.train().accuracy(), correlation,
                (System.nanoTime() - start) / 1_000_000_000);

        // 300 held-out lists, up to 28 pairs each; every pair is two base responses to a training prompt that the
        // model never saw
        assertThat(result.heldOut().pairs()).isGreaterThan(8000);
        // runs with other data seeds measured 0.82 to 0.85
        assertThat(result.heldOut().accuracy()).isGreaterThanOrEqualTo(0.80);
        assertThat(correlation).isGreaterThanOrEqualTo(0.5);
    }

    /** Pearson correlation between r(x, y) and r*(x, y). */
    private static double correlationWithTrueReward(SyntheticWorld world, RewardModel model,
            List<PromptResponse> responses) {
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

    /** Base responses to training prompts: the SFT corpus, and fresh responses to compare r with r* on. */
    private static List<PromptResponse> baseResponses(SyntheticWorld world, int n, long seed) {
        Random random = new Random(seed);
        List<PromptResponse> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prompt = world.samplePrompt(random);
            responses.add(new PromptResponse(prompt, world.sampleResponse(prompt, random)));
        }
        return responses;
    }

    /**
     * Lists of base responses to a training prompt labelled by r*: every pair they imply prefers the higher true
     * reward, and equal r* imply no pair. A list whose responses all tie is drawn again.
     */
    private static List<RankedExample> noiseFreeLists(SyntheticWorld world, int n, long seed) {
        Random random = new Random(seed);
        List<RankedExample> lists = new ArrayList<>(n);
        while (lists.size() < n) {
            String prompt = world.samplePrompt(random);
            List<String> responses = new ArrayList<>(RESPONSES_PER_PROMPT);
            List<Double> rewards = new ArrayList<>(RESPONSES_PER_PROMPT);
            for (int i = 0; i < RESPONSES_PER_PROMPT; i++) {
                String response = world.sampleResponse(prompt, random);
                responses.add(response);
                rewards.add(world.reward(prompt, response));
            }
            if (rewards.stream().distinct().count() > 1) {
                lists.add(new RankedExample("syn-" + lists.size(), prompt, responses, rewards));
            }
        }
        return lists;
    }
}
