package io.prefpipe.labeling.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Statistical rejection sampling, Algorithm 1 of Liu et al., "Statistical Rejection Sampling Improves Preference
 * Optimization" (ICLR 2024, arXiv:2309.06657, appendix A.1).
 *
 * <p>Given the candidates {@code (y, r)} of one prompt, sampled from the SFT policy and scored by a reward model, it
 * draws up to {@code n} of them, without replacement, from the estimated optimal policy
 * {@code π_r(y|x) ∝ π_sft(y|x) · exp(r(x, y) / β)}:
 *
 * <pre>
 *   accepted ← [];  pool ← candidates (input order)
 *   while |accepted| &lt; n and pool ≠ ∅:                         -- one round
 *       r_max ← max { r : (y, r) ∈ pool }                       -- recomputed every round
 *       for (y, r) in pool, in input order:
 *           u ~ U[0, 1)
 *           if u &lt; exp((r − r_max) / β):  accept y
 *               if |accepted| = n:  stop
 *       pool ← pool without the candidates accepted this round
 * </pre>
 *
 * <p>The acceptance probability {@code exp((r − r_max)/β)} is the ratio {@code π_r(y|x) / (M · π_sft(y|x))} with the
 * envelope constant {@code M} estimated from the candidates still in the pool (the paper's equation 14).
 *
 * <p><b>Order within a round.</b> Candidates are visited in the order given, exactly as the paper's code iterates
 * its (insertion-ordered) dictionary, and one uniform is drawn per visited candidate. The sampler assumes that order
 * carries no information, which holds for candidates in the order the policy produced them; callers holding
 * candidates sorted by reward (or anything else) should shuffle them first, because the order decides who is
 * visited before the quota fills (see below) and which n are kept when β is large.
 *
 * <p><b>Consequences.</b> Every candidate whose reward equals {@code r_max} is accepted in its round with probability
 * 1 (since {@code u < exp(0) = 1}), unless the quota of n fills earlier in that round: like the paper, a round stops
 * as soon as n are accepted, so with n = 1 and a lower-reward candidate listed first, that candidate may be accepted
 * (with probability {@code exp((r − r_max)/β)}) and the maximum never visited. For β → 0 every candidate below
 * {@code r_max} has probability 0, so the result is the top n by reward (best-of-N; ties at equal reward in input
 * order). For β → ∞ every probability is 1, so the result is the first n in input order.
 *
 * <p><b>Fewer than n candidates.</b> The paper's code would fail once the pool empties ({@code max} of an empty
 * dictionary). Here sampling stops when the pool is empty and returns every candidate, in acceptance order; the
 * result reports {@link RejectionSample#exhausted()}.
 *
 * <p>Instances are immutable and thread-safe; the randomness comes only from the generator passed to
 * {@link #sample}, so the same seed gives the same accepted candidates in the same order.
 */
public final class RejectionSampler {
    private final RejectionSamplerConfig config;

    public RejectionSampler(RejectionSamplerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public RejectionSamplerConfig config() {
        return config;
    }

    /**
     * The probability {@code exp((reward − maxReward) / beta)} with which a candidate is accepted in a round whose
     * maximum remaining reward is {@code maxReward}.
     *
     * @throws IllegalArgumentException if {@code reward > maxReward}
     */
    public static double acceptanceProbability(double reward, double maxReward, double beta) {
        if (reward > maxReward) {
            throw new IllegalArgumentException("reward " + reward + " exceeds maxReward " + maxReward);
        }
        return Math.exp((reward - maxReward) / beta);
    }

    /** Samples with a fresh {@link SplittableRandom} seeded with {@code seed}. */
    public RejectionSample sample(List<ScoredCandidate> candidates, long seed) {
        return sample(candidates, new SplittableRandom(seed));
    }

    /**
     * Runs Algorithm 1 over the candidates of one prompt.
     *
     * @param candidates the candidates, in the order the policy produced them; may be empty
     * @param random source of the uniforms {@code u}; {@link RandomGenerator#nextDouble()} must return values in
     *     [0, 1)
     */
    public RejectionSample sample(List<ScoredCandidate> candidates, RandomGenerator random) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(random, "random");
        int n = config.n();
        double beta = config.beta();
        List<ScoredCandidate> pool = new ArrayList<>(candidates.size());
        for (ScoredCandidate c : candidates) {
            pool.add(Objects.requireNonNull(c, "candidates must not contain null"));
        }
        List<RejectionSample.Accepted> accepted = new ArrayList<>(Math.min(n, pool.size()));
        int round = 0;
        long draws = 0;
        while (accepted.size() < n && !pool.isEmpty()) {
            round++;
            double maxReward = Double.NEGATIVE_INFINITY;
            for (ScoredCandidate c : pool) {
                maxReward = Math.max(maxReward, c.reward());
            }
            List<ScoredCandidate> rejected = new ArrayList<>(pool.size());
            for (ScoredCandidate c : pool) {
                double u = random.nextDouble();
                draws++;
                if (u < acceptanceProbability(c.reward(), maxReward, beta)) {
                    accepted.add(new RejectionSample.Accepted(c, round));
                    if (accepted.size() == n) {
                        break;
                    }
                } else {
                    rejected.add(c);
                }
            }
            pool = rejected;
        }
        return new RejectionSample(accepted, n, candidates.size(), round, draws);
    }
}
