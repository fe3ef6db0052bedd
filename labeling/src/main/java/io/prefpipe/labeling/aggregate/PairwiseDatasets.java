package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.Vote;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns pairwise votes over many pairs into a two-class {@link CrowdDataset} for the crowd aggregators, and votes on
 * one pair into {@link Vote}s for a fitted {@link io.prefpipe.labeling.crowd.AnnotatorModel}.
 *
 * <p>Each pair is an item; class {@value #FIRST} (0) means the pair's first (canonical) response is preferred,
 * {@value #SECOND} (1) the second. A vote's {@link ShownFirst} becomes the judgement's shown-first class, so
 * {@link io.prefpipe.labeling.crowd.PositionAwareDawidSkene} can see position bias. {@link Outcome#TIE} votes are
 * left out and counted: they say nothing about which response is better.
 */
public final class PairwiseDatasets {
    /** The class of "the first response of the pair is preferred". */
    public static final String FIRST = "FIRST";
    /** The class of "the second response of the pair is preferred". */
    public static final String SECOND = "SECOND";
    /** The classes of every pairwise dataset, in class-id order. */
    public static final List<String> CLASSES = List.of(FIRST, SECOND);

    private PairwiseDatasets() {}

    /**
     * A pairwise dataset and what was left out of it.
     *
     * @param dataset the judgements; item ids are {@link #itemKey} of each pair
     * @param tieVotes tie votes left out
     */
    public record Converted(CrowdDataset dataset, int tieVotes) {
        public Converted {
            Objects.requireNonNull(dataset, "dataset");
            if (tieVotes < 0) {
                throw new IllegalArgumentException("tieVotes must be >= 0, got " + tieVotes);
            }
        }
    }

    /**
     * Votes keyed by pair alone. Only for response ids unique across comparisons (e.g. content hashes); otherwise use
     * {@link #fromComparisons}, or the same two ids in two comparisons become one item.
     */
    public static Converted fromVotes(List<PairwiseVote> votes) {
        CrowdDataset.Builder b = CrowdDataset.builder().setClasses(CLASSES);
        int ties = 0;
        for (PairwiseVote v : votes) {
            ties += add(b, itemKey(v.pair()), v);
        }
        return new Converted(b.build(), ties);
    }

    /** Votes grouped by comparison id; items are keyed by comparison and pair. */
    public static Converted fromComparisons(Map<String, ? extends List<PairwiseVote>> votesByComparison) {
        CrowdDataset.Builder b = CrowdDataset.builder().setClasses(CLASSES);
        int ties = 0;
        for (Map.Entry<String, ? extends List<PairwiseVote>> e : votesByComparison.entrySet()) {
            for (PairwiseVote v : e.getValue()) {
                ties += add(b, itemKey(e.getKey(), v.pair()), v);
            }
        }
        return new Converted(b.build(), ties);
    }

    private static int add(CrowdDataset.Builder b, String item, PairwiseVote v) {
        if (v.outcome() == Outcome.TIE) {
            return 1;
        }
        String label = v.outcome() == Outcome.FIRST ? FIRST : SECOND;
        switch (v.shownFirst()) {
            case FIRST -> b.add(item, v.annotatorId(), label, FIRST);
            case SECOND -> b.add(item, v.annotatorId(), label, SECOND);
            case UNKNOWN -> b.add(item, v.annotatorId(), label);
        }
        return 0;
    }

    /**
     * The votes of one pair as a model scores them; ties are left out.
     */
    public static List<Vote> toVotes(List<PairwiseVote> votes) {
        List<Vote> out = new ArrayList<>(votes.size());
        for (PairwiseVote v : votes) {
            if (v.outcome() == Outcome.TIE) {
                continue;
            }
            int shown = switch (v.shownFirst()) {
                case FIRST -> 0;
                case SECOND -> 1;
                case UNKNOWN -> CrowdDataset.UNKNOWN_POSITION;
            };
            out.add(new Vote(v.annotatorId(), v.outcome() == Outcome.FIRST ? 0 : 1, shown));
        }
        return out;
    }

    /** The item id of a pair keyed alone: {@code first:second}, with {@code \} and {@code :} escaped. */
    public static String itemKey(ResponsePair pair) {
        return escape(pair.first()) + ':' + escape(pair.second());
    }

    /** The item id of a pair in a comparison: {@code comparison:first:second}, escaped as {@link #itemKey(ResponsePair)}. */
    public static String itemKey(String comparisonId, ResponsePair pair) {
        return escape(Objects.requireNonNull(comparisonId, "comparisonId")) + ':' + itemKey(pair);
    }

    // Escaping keeps keys unambiguous: ("a:b", "c") and ("a", "b:c") must not meet.
    private static String escape(String id) {
        return id.replace("\\", "\\\\").replace(":", "\\:");
    }
}
