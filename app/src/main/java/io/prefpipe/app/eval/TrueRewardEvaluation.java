package io.prefpipe.app.eval;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.model.PolicyModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores policies against the synthetic world's hidden true reward r*, on held-out prompts no training pair used.
 *
 * <p>The win rate of policy A against policy B pairs A's i-th sample with B's i-th sample for the same prompt and
 * counts A's wins, with ties as half a win: win rate = (#[r*(a) &gt; r*(b)] + ½·#[r*(a) = r*(b)]) / n.
 */
public final class TrueRewardEvaluation {
    private final SyntheticWorld world;
    private final List<String> prompts;
    private final int maxNewTokens;
    private final double temperature;

    /**
     * @param world the world whose r* scores the samples
     * @param heldOutPrompts prompts to sample for; each appears {@code samplesPerPrompt} times
     * @param samplesPerPrompt samples per prompt and policy
     * @param maxNewTokens sampling budget per response
     * @param temperature sampling temperature
     */
    public TrueRewardEvaluation(SyntheticWorld world, List<String> heldOutPrompts, int samplesPerPrompt, int maxNewTokens,
            double temperature) {
        this.world = world;
        List<String> p = new ArrayList<>();
        for (String prompt : heldOutPrompts) {
            for (int i = 0; i < samplesPerPrompt; i++) {
                p.add(prompt);
            }
        }
        this.prompts = List.copyOf(p);
        this.maxNewTokens = maxNewTokens;
        this.temperature = temperature;
    }

    /** Responses of {@code policy} to every evaluation prompt, reproducible by seed. */
    public List<String> sample(PolicyModel policy, long seed) {
        return policy.sample(prompts, maxNewTokens, temperature, seed);
    }

    /** Mean r* of responses to the evaluation prompts, in order. */
    public double meanReward(List<String> responses) {
        double sum = 0;
        for (int i = 0; i < responses.size(); i++) {
            sum += world.reward(prompts.get(i), responses.get(i));
        }
        return sum / responses.size();
    }

    /** The win rate of {@code a} against {@code b}; see the class comment. */
    public double winRate(List<String> a, List<String> b) {
        if (a.size() != prompts.size() || b.size() != prompts.size()) {
            throw new IllegalArgumentException("need " + prompts.size() + " responses on each side, got " + a.size()
                    + " and " + b.size());
        }
        double wins = 0;
        for (int i = 0; i < prompts.size(); i++) {
            wins += credit(world, prompts.get(i), a.get(i), b.get(i));
        }
        return wins / prompts.size();
    }

    /** 1 if {@code a} has the higher true reward than {@code b} for {@code prompt}, ½ if equal, else 0. */
    public static double credit(SyntheticWorld world, String prompt, String a, String b) {
        int c = Double.compare(world.reward(prompt, a), world.reward(prompt, b));
        return c > 0 ? 1 : c == 0 ? 0.5 : 0;
    }

    public String prompt(int i) {
        return prompts.get(i);
    }

    public double reward(int i, String response) {
        return world.reward(prompts.get(i), response);
    }

    public int size() {
        return prompts.size();
    }
}
