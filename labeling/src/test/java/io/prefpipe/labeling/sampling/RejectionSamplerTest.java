package io.prefpipe.labeling.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RejectionSamplerTest {
    private static final int TRIALS = 20_000;

    private static List<ScoredCandidate> candidates(double... rewards) {
        List<ScoredCandidate> out = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            out.add(new ScoredCandidate("c" + i, "text " + i, rewards[i]));
        }
        return out;
    }

    private static RejectionSampler sampler(int n, double beta) {
        return new RejectionSampler(new RejectionSamplerConfig(n, beta));
    }

    private static List<String> ids(RejectionSample s) {
        return s.candidates().stream().map(ScoredCandidate::id).toList();
    }

    /** Asserts that {@code hits} of {@code trials} Bernoulli(p) draws is within 4 binomial standard errors of p. */
    private static void assertRate(long hits, int trials, double p, String what) {
        double rate = (double) hits / trials;
        double sigma = Math.sqrt(p * (1 - p) / trials);
        assertThat(rate).as("%s: rate %s vs p %s (4σ = %s)", what, rate, p, 4 * sigma).isCloseTo(p, within(4 * sigma));
    }

    /** A generator that returns scripted uniforms and fails if more are drawn. */
    private static final class ScriptedUniforms implements RandomGenerator {
        private final double[] values;
        private int next;

        ScriptedUniforms(double... values) {
            this.values = values;
        }

        @Override
        public double nextDouble() {
            if (next == values.length) {
                throw new AssertionError("more than " + values.length + " uniforms drawn");
            }
            return values[next++];
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void acceptanceProbability_isExpOfRewardGapOverBeta() {
        assertThat(RejectionSampler.acceptanceProbability(1, 1, 0.5)).isEqualTo(1.0);
        assertThat(RejectionSampler.acceptanceProbability(0, 1, 1)).isEqualTo(Math.exp(-1));
        assertThat(RejectionSampler.acceptanceProbability(-1, 2, 0.5)).isEqualTo(Math.exp(-6));
        assertThat(RejectionSampler.acceptanceProbability(0, 1, 1e-300)).isZero();
        assertThat(RejectionSampler.acceptanceProbability(0, 1, 1e300)).isEqualTo(1.0);
        assertThatThrownBy(() -> RejectionSampler.acceptanceProbability(2, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReward");
    }

    static Stream<Arguments> firstRoundCases() {
        return Stream.of(
                Arguments.of(new double[] {1, 0}, 1.0),
                Arguments.of(new double[] {0, 1}, 1.0),
                Arguments.of(new double[] {2.0, 1.5, 0.0, -1.0}, 0.5),
                Arguments.of(new double[] {0.3, -0.2, 0.1, 0.25, -0.4, 0.0}, 0.1),
                Arguments.of(new double[] {10, 7, 9, 3}, 5.0),
                Arguments.of(new double[] {-3, -3, -2.5}, 2.0));
    }

    /**
     * With n equal to the number of candidates, the quota can only fill at the last acceptance, so every candidate
     * gets its first-round draw, and is accepted in round 1 with probability exp((r − r_max)/β), independently.
     */
    @ParameterizedTest
    @MethodSource("firstRoundCases")
    void sample_firstRound_acceptsEachCandidateWithProbabilityExpOfGapOverBeta(double[] rewards, double beta) {
        RejectionSampler s = sampler(rewards.length, beta);
        List<ScoredCandidate> cs = candidates(rewards);
        double max = Arrays.stream(rewards).max().orElseThrow();
        long[] firstRound = new long[rewards.length];
        SplittableRandom random = new SplittableRandom(42);
        for (int t = 0; t < TRIALS; t++) {
            for (RejectionSample.Accepted a : s.sample(cs, random).accepted()) {
                if (a.round() == 1) {
                    firstRound[cs.indexOf(a.candidate())]++;
                }
            }
        }
        for (int i = 0; i < rewards.length; i++) {
            double p = Math.exp((rewards[i] - max) / beta);
            if (p == 1.0) {
                assertThat(firstRound[i]).as("r_max candidate %d", i).isEqualTo(TRIALS);
            } else {
                assertRate(firstRound[i], TRIALS, p, "candidate " + i + " r=" + rewards[i] + " β=" + beta);
            }
        }
    }

    @Test
    void sample_twoCandidatesNOneMaxListedFirst_alwaysAcceptsTheMaxInRoundOne() {
        RejectionSampler s = sampler(1, 1);
        List<ScoredCandidate> cs = candidates(1, 0);
        SplittableRandom random = new SplittableRandom(7);
        for (int t = 0; t < TRIALS; t++) {
            RejectionSample r = s.sample(cs, random);
            assertThat(r.accepted()).singleElement().isEqualTo(new RejectionSample.Accepted(cs.get(0), 1));
            assertThat(r.draws()).isEqualTo(1);
        }
    }

    /** As in the paper, a round stops once n are accepted, so with n = 1 the order decides who is visited first. */
    @Test
    void sample_twoCandidatesNOneMaxListedSecond_acceptsTheLowerFirstWithItsProbability() {
        RejectionSampler s = sampler(1, 1);
        List<ScoredCandidate> cs = candidates(0, 1);
        SplittableRandom random = new SplittableRandom(8);
        long low = 0;
        for (int t = 0; t < TRIALS; t++) {
            RejectionSample r = s.sample(cs, random);
            assertThat(r.rounds()).isEqualTo(1);
            if (r.candidates().get(0) == cs.get(0)) {
                low++;
            }
        }
        assertRate(low, TRIALS, Math.exp(-1), "lower candidate listed first");
    }

    /** r_max is recomputed among the remaining candidates, so whatever is left alone is accepted in round 2. */
    @Test
    void sample_secondRound_recomputesMaxAmongRemaining() {
        RejectionSampler s = sampler(2, 1);
        List<ScoredCandidate> cs = candidates(1, 0);
        SplittableRandom random = new SplittableRandom(9);
        long lowInRoundTwo = 0;
        for (int t = 0; t < TRIALS; t++) {
            RejectionSample r = s.sample(cs, random);
            assertThat(r.candidates()).containsExactlyInAnyOrderElementsOf(cs);
            int lowRound = r.accepted().stream().filter(a -> a.candidate() == cs.get(1)).findFirst().orElseThrow()
                    .round();
            assertThat(lowRound).isIn(1, 2);
            assertThat(r.rounds()).isEqualTo(lowRound);
            if (lowRound == 2) {
                lowInRoundTwo++;
            }
        }
        assertRate(lowInRoundTwo, TRIALS, 1 - Math.exp(-1), "low candidate accepted in round 2");
    }

    @Test
    void sample_scriptedUniforms_acceptsOnlyStrictlyBelowTheProbabilityAndStopsWhenTheQuotaFills() {
        // rewards 0, 1, 0, 1 with β = 1: probabilities e^-1, 1, e^-1, 1 in round 1
        List<ScoredCandidate> cs = candidates(0, 1, 0, 1);
        double p = Math.exp(-1);
        // u = p is not < p: rejected; 0.999 < 1: accepted; just below p: accepted, and n = 2 is reached
        RejectionSample r = sampler(2, 1).sample(cs, new ScriptedUniforms(p, 0.999, Math.nextDown(p)));
        assertThat(ids(r)).containsExactly("c1", "c2");
        assertThat(r.draws()).isEqualTo(3);
        assertThat(r.rounds()).isEqualTo(1);

        // n = 3: round 1 accepts c1, c3; round 2 has c0, c2 with r_max = 0, so both have probability 1
        RejectionSample r2 = sampler(3, 1).sample(cs, new ScriptedUniforms(0.9, 0.0, 0.9, 0.5, 0.99));
        assertThat(r2.accepted()).extracting(a -> a.candidate().id() + "@" + a.round())
                .containsExactly("c1@1", "c3@1", "c0@2");
        assertThat(r2.draws()).isEqualTo(5);
    }

    @Test
    void sample_tinyBeta_isBestOfN() {
        SplittableRandom rewards = new SplittableRandom(3);
        RejectionSampler s = sampler(4, 1e-9);
        for (int t = 0; t < 200; t++) {
            List<ScoredCandidate> cs = candidates(rewards.doubles(16, -3, 3).toArray());
            List<ScoredCandidate> top = cs.stream()
                    .sorted(Comparator.comparingDouble(ScoredCandidate::reward).reversed()).limit(4).toList();
            RejectionSample r = s.sample(cs, t);
            // one per round, best first
            assertThat(r.candidates()).containsExactlyElementsOf(top);
            assertThat(r.rounds()).isEqualTo(4);
        }
    }

    @Test
    void sample_tinyBetaWithTiesAtTheMax_acceptsAllTiedInInputOrder() {
        RejectionSample r = sampler(3, 1e-12).sample(candidates(0.5, 2, 1, 2, 2), 5);
        assertThat(ids(r)).containsExactly("c1", "c3", "c4");
        assertThat(r.rounds()).isEqualTo(1);
    }

    @Test
    void sample_hugeBeta_acceptsTheFirstNInInputOrder() {
        RejectionSampler s = sampler(3, 1e300);
        for (long seed = 0; seed < 100; seed++) {
            RejectionSample r = s.sample(candidates(-5, 0, 9, 3, 100, 7), seed);
            assertThat(ids(r)).containsExactly("c0", "c1", "c2");
            assertThat(r.draws()).isEqualTo(3);
        }
    }

    @Test
    void sample_sameSeed_givesTheSameAcceptedCandidates() {
        List<ScoredCandidate> cs = candidates(new SplittableRandom(1).doubles(64, -2, 2).toArray());
        RejectionSampler s = sampler(8, 0.5);
        List<List<String>> bySeed = IntStream.range(0, 20).mapToObj(seed -> ids(s.sample(cs, seed))).toList();
        List<List<String>> again = IntStream.range(0, 20).mapToObj(seed -> ids(s.sample(cs, seed))).toList();
        assertThat(again).isEqualTo(bySeed);
        assertThat(bySeed).allSatisfy(a -> assertThat(a).hasSize(8).doesNotHaveDuplicates());
        assertThat(bySeed.stream().distinct().count()).as("different seeds give different samples").isGreaterThan(1);
    }

    @Test
    void sample_fewerCandidatesThanN_acceptsAllAndReportsExhausted() {
        List<ScoredCandidate> cs = candidates(3, 1, 2);
        RejectionSample r = sampler(8, 0.5).sample(cs, 11);
        assertThat(r.candidates()).containsExactlyInAnyOrderElementsOf(cs);
        assertThat(r.exhausted()).isTrue();
        assertThat(r.requested()).isEqualTo(8);
        assertThat(r.candidateCount()).isEqualTo(3);

        RejectionSample none = sampler(1, 1).sample(List.of(), 11);
        assertThat(none.accepted()).isEmpty();
        assertThat(none.rounds()).isZero();
        assertThat(none.exhausted()).isTrue();

        assertThat(sampler(3, 1).sample(cs, 11).exhausted()).isFalse();
    }

    @Test
    void sample_duplicateTexts_areDistinctCandidates() {
        List<ScoredCandidate> cs = List.of(new ScoredCandidate("a", "same", 1), new ScoredCandidate("b", "same", 1));
        assertThat(ids(sampler(2, 1).sample(cs, 1))).containsExactly("a", "b");
    }

    @Test
    void config_nBelowOne_namesTheField() {
        assertThatThrownBy(() -> new RejectionSamplerConfig(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 1, was 0");
    }

    @Test
    void config_betaNotPositiveAndFinite_namesTheField() {
        for (double beta : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RejectionSamplerConfig(8, beta))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("beta must be finite and > 0");
        }
    }

    @Test
    void candidate_nonFiniteReward_namesTheField() {
        for (double reward : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new ScoredCandidate("x", "t", reward))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reward must be finite").hasMessageContaining("'x'");
        }
        assertThatThrownBy(() -> new ScoredCandidate(null, "t", 0)).hasMessage("id");
        assertThatThrownBy(() -> new ScoredCandidate("x", null, 0)).hasMessage("text");
    }
}
