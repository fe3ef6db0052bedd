package io.prefpipe.app.eval;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.model.PromptResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Training data drawn from a {@link SyntheticWorld}, labelled by its true reward r*, for experiments whose outcome is
 * measured against r*: base responses to imitate, preference pairs with a chosen rate of flipped labels, and ranked
 * lists. Every method is deterministic in its seed.
 */
public final class SyntheticPreferences {

    private final SyntheticWorld world;

    public SyntheticPreferences(SyntheticWorld world) {
        this.world = world;
    }

    /** {@code n} base responses to training prompts: what a reference policy imitates. */
    public List<PromptResponse> baseResponses(int n, long seed) {
        Random random = new Random(seed);
        List<PromptResponse> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prompt = world.samplePrompt(random);
            responses.add(new PromptResponse(prompt, world.sampleResponse(prompt, random)));
        }
        return responses;
    }

    /**
     * {@code n} pairs of two base responses to a training prompt, chosen = the higher r* (pairs with equal r* are
     * drawn again), then each label flipped independently with probability {@code flipRate}.
     *
     * @throws IllegalArgumentException if flipRate is outside [0, 1]
     */
    public List<PreferenceExample> pairs(int n, double flipRate, long seed) {
        if (!(flipRate >= 0 && flipRate <= 1)) {
            throw new IllegalArgumentException("flipRate must be in [0, 1], got " + flipRate);
        }
        Random random = new Random(seed);
        List<PreferenceExample> pairs = new ArrayList<>(n);
        while (pairs.size() < n) {
            String prompt = world.samplePrompt(random);
            String a = world.sampleResponse(prompt, random);
            String b = world.sampleResponse(prompt, random);
            int order = Double.compare(world.reward(prompt, a), world.reward(prompt, b));
            if (order == 0) {
                continue;
            }
            String better = order > 0 ? a : b;
            String worse = order > 0 ? b : a;
            boolean flip = random.nextDouble() < flipRate;
            pairs.add(PreferenceExample.of("pair-" + pairs.size(), prompt, flip ? worse : better,
                    flip ? better : worse));
        }
        return pairs;
    }

    /**
     * {@code n} lists of {@code k} base responses to a training prompt, graded by rank under r* on [0, 1]: the response
     * at 0-based position p of the list sorted by r*, worst first, gets ψ = p / (k − 1), so the best gets 1 and the
     * worst 0; equal rewards share the grade of the first of them.
     *
     * <p>Why [0, 1] and not the ranks 0..k − 1: LiPO-λ weighs a pair by the gap in gain G = 2^ψ − 1, which is
     * exponential in ψ. On ranks 0..3 the gains are 0, 1, 3, 7, so the pair of the two worst responses weighs 1/7 of
     * the pair best-worst (before the rank discounts), and the lower part of the list, where the rude and off-topic
     * responses are, teaches little. On [0, 1] the gains are 0, 0.26, 0.59, 1 and that ratio is 0.26. The pairs the
     * list implies, all that DPO sees, are the same either way.
     */
    public List<RankedExample> rankedLists(int n, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be >= 2, got " + k);
        }
        Random random = new Random(seed);
        List<RankedExample> lists = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            String prompt = world.samplePrompt(random);
            List<String> responses = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                responses.add(world.sampleResponse(prompt, random));
            }
            double[] rewards = responses.stream().mapToDouble(r -> world.reward(prompt, r)).toArray();
            List<Integer> ascending = IntStream.range(0, k).boxed()
                    .sorted(Comparator.comparingDouble(i -> rewards[i])).toList();
            Double[] labels = new Double[k];
            int grade = 0;
            for (int pos = 0; pos < k; pos++) {
                int i = ascending.get(pos);
                if (pos > 0 && rewards[i] > rewards[ascending.get(pos - 1)]) {
                    grade = pos;
                }
                labels[i] = (double) grade / (k - 1);
            }
            lists.add(new RankedExample("list-" + l, prompt, responses, List.of(labels)));
        }
        return lists;
    }
}
