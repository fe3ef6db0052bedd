package io.prefpipe.labeling.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PairingTest {
    /** Candidates "r8", "r7", ..., "r1" with rewards 8..1, given in shuffled order. */
    private static List<ScoredCandidate> ranked(int k) {
        List<ScoredCandidate> out = new ArrayList<>();
        for (int r = k; r >= 1; r--) {
            out.add(new ScoredCandidate("r" + r, "text " + r, r));
        }
        Collections.shuffle(out, new Random(k));
        return out;
    }

    private static List<String> games(List<RsoPair> pairs) {
        return pairs.stream().map(p -> p.chosen().id() + ">" + p.rejected().id() + "@" + p.round()).toList();
    }

    @Test
    void pairs_firstRoundOfEight_pairsRankedNeighbours() {
        assertThat(games(Pairing.FIRST_ROUND.pairs(ranked(8))))
                .containsExactly("r8>r7@1", "r6>r5@1", "r4>r3@1", "r2>r1@1");
    }

    @Test
    void pairs_tournamentOfEight_playsASingleEliminationBracket() {
        assertThat(games(Pairing.TOURNAMENT.pairs(ranked(8)))).containsExactly(
                "r8>r7@1", "r6>r5@1", "r4>r3@1", "r2>r1@1",
                "r8>r6@2", "r4>r2@2",
                "r8>r4@3");
    }

    @Test
    void pairs_tournamentOfFive_givesTheLowestAByeAndStillPlaysNMinusOneGames() {
        assertThat(games(Pairing.TOURNAMENT.pairs(ranked(5)))).containsExactly(
                "r5>r4@1", "r3>r2@1",
                "r5>r3@2",
                "r5>r1@3");
        assertThat(games(Pairing.FIRST_ROUND.pairs(ranked(5)))).containsExactly("r5>r4@1", "r3>r2@1");
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void pairs_anyCount_givesTheDocumentedNumberOfPairsChosenNeverBelowRejected(Pairing pairing) {
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k <= 33; k++) {
            List<ScoredCandidate> accepted = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                // coarse rewards so that ties occur
                accepted.add(new ScoredCandidate("c" + i, "t" + i, random.nextInt(5)));
            }
            List<RsoPair> pairs = pairing.pairs(accepted);
            int expected = pairing == Pairing.FIRST_ROUND ? k / 2 : Math.max(k - 1, 0);
            assertThat(pairs).as("k=%d", k).hasSize(expected).hasSize(pairing.pairCount(k));
            assertThat(pairs).allSatisfy(p -> assertThat(p.chosenReward()).isGreaterThanOrEqualTo(p.rejectedReward()));
            List<RsoPair> firstRound = Pairing.FIRST_ROUND.pairs(accepted);
            assertThat(pairs.stream().filter(p -> p.round() == 1).toList()).isEqualTo(firstRound);
            // in round 1 nobody plays twice
            assertThat(firstRound.stream().flatMap(p -> Stream.of(p.chosen(), p.rejected())))
                    .doesNotHaveDuplicates();
            if (pairing == Pairing.TOURNAMENT && k > 0) {
                // every candidate but the champion loses exactly once, and the champion has the top reward
                assertThat(pairs.stream().map(RsoPair::rejected)).doesNotHaveDuplicates();
                ScoredCandidate champion = accepted.stream().filter(c -> pairs.stream().noneMatch(
                        p -> p.rejected() == c)).findFirst().orElseThrow();
                assertThat(champion.reward()).isEqualTo(
                        accepted.stream().mapToDouble(ScoredCandidate::reward).max().orElseThrow());
            }
        }
    }

    @Test
    void pairs_equalRewards_chooseTheEarlierAndMarkThePairTied() {
        ScoredCandidate a = new ScoredCandidate("a", "A", 1);
        ScoredCandidate b = new ScoredCandidate("b", "B", 1);
        assertThat(Pairing.FIRST_ROUND.pairs(List.of(a, b))).singleElement().satisfies(p -> {
            assertThat(p.chosen()).isEqualTo(a);
            assertThat(p.tied()).isTrue();
        });
    }

    @Test
    void fromCode_knownCodes_roundTrip() {
        for (Pairing p : Pairing.values()) {
            assertThat(Pairing.fromCode(p.code())).isEqualTo(p);
        }
        assertThat(Pairing.fromCode("first-round")).isEqualTo(Pairing.FIRST_ROUND);
        assertThat(Pairing.fromCode("tournament")).isEqualTo(Pairing.TOURNAMENT);
    }

    @Test
    void fromCode_unknown_namesTheFieldAndTheChoices() {
        assertThatThrownBy(() -> Pairing.fromCode("swiss"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pairing must be one of [first-round, tournament], was 'swiss'");
    }

    @Test
    void rsoPair_rejectedAboveChosen_isRefused() {
        ScoredCandidate lo = new ScoredCandidate("lo", "x", 0);
        ScoredCandidate hi = new ScoredCandidate("hi", "y", 1);
        assertThatThrownBy(() -> new RsoPair(lo, hi, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chosen reward");
    }
}
