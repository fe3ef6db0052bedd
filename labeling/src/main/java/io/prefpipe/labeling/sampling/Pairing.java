package io.prefpipe.labeling.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How accepted samples become preference pairs (Liu et al. 2024, section 5.2, "Preference pairs sampling and
 * ranking"). Both first rank the k accepted candidates by reward, highest first; candidates with equal rewards keep
 * the order they were given in (acceptance order), and on a tie the earlier one is chosen, so the pair is marked
 * {@link RsoPair#tied()} rather than dropped.
 */
public enum Pairing {
    /**
     * "first-round-rank": pair ranked neighbours (1,2), (3,4), …, giving ⌊k/2⌋ pairs; with k odd the lowest-ranked
     * candidate is left out. The paper's best setting by AutoSxS (rso-8-sample-first-round-rank).
     */
    FIRST_ROUND("first-round"),
    /**
     * "tournament-rank": a single-elimination tournament giving k − 1 pairs (every game eliminates one candidate).
     * Round 1 is exactly the {@link #FIRST_ROUND} pairing; each game's winner is the candidate with the higher reward
     * and advances, keeping its rank order, and round r + 1 pairs the winners of round r as neighbours again. With an
     * odd number in a round, the lowest-ranked one gets a bye into the next round. For 8 ranked candidates:
     * (1,2) (3,4) (5,6) (7,8), then (1,3) (5,7), then (1,5).
     */
    TOURNAMENT("tournament");

    private final String code;

    Pairing(String code) {
        this.code = code;
    }

    /** The stable name used on the command line and in reports. */
    public String code() {
        return code;
    }

    /**
     * The pairing with this code.
     *
     * @throws IllegalArgumentException naming the field {@code pairing} when the code is unknown
     */
    public static Pairing fromCode(String code) {
        for (Pairing p : values()) {
            if (p.code.equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pairing must be one of "
                + Arrays.stream(values()).map(Pairing::code).toList() + ", was '" + code + "'");
    }

    /** How many pairs this pairing forms from {@code accepted} candidates. */
    public int pairCount(int accepted) {
        if (accepted < 0) {
            throw new IllegalArgumentException("accepted must be >= 0, was " + accepted);
        }
        return this == FIRST_ROUND ? accepted / 2 : Math.max(accepted - 1, 0);
    }

    /**
     * Forms the pairs; round 1 first, and within a round from the top of the ranking down.
     *
     * @param accepted the accepted candidates, e.g. {@link RejectionSample#candidates()}
     */
    public List<RsoPair> pairs(List<ScoredCandidate> accepted) {
        Objects.requireNonNull(accepted, "accepted");
        List<ScoredCandidate> ranked = new ArrayList<>(accepted);
        // List.sort is stable: equal rewards keep their given order.
        ranked.sort(Comparator.comparingDouble(ScoredCandidate::reward).reversed());
        List<RsoPair> pairs = new ArrayList<>(pairCount(ranked.size()));
        int round = 1;
        while (ranked.size() > 1) {
            List<ScoredCandidate> winners = new ArrayList<>((ranked.size() + 1) / 2);
            for (int i = 0; i < ranked.size(); i += 2) {
                if (i + 1 == ranked.size()) {
                    winners.add(ranked.get(i)); // bye
                    break;
                }
                ScoredCandidate a = ranked.get(i);
                ScoredCandidate b = ranked.get(i + 1);
                boolean aWins = a.reward() >= b.reward();
                pairs.add(new RsoPair(aWins ? a : b, aWins ? b : a, round));
                winners.add(aWins ? a : b);
            }
            if (this == FIRST_ROUND) {
                break;
            }
            ranked = winners;
            round++;
        }
        return pairs;
    }
}
