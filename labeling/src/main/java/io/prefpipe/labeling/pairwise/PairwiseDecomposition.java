package io.prefpipe.labeling.pairwise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a judgement over K responses into votes on pairs of responses.
 *
 * <ul>
 *   <li>A choice beats every other response (best-of-K); a tie ties every pair.
 *   <li>A ranking votes on all K(K−1)/2 pairs: earlier beats later.
 *   <li>Ratings vote on every pair of rated responses: the higher score wins, equal scores tie.
 * </ul>
 *
 * Pairs among the non-chosen responses of a best-of-K choice get no vote: the judgement says nothing about them.
 */
public final class PairwiseDecomposition {
    private PairwiseDecomposition() {}

    /** The votes a judgement casts, in a deterministic order. */
    public static List<PairwiseVote> votes(AnnotatedJudgement j) {
        List<PairwiseVote> out = new ArrayList<>();
        List<String> ids = j.responseIds();
        Judgement judgement = j.judgement();
        if (judgement instanceof Judgement.Choice c) {
            for (int a = 0; a < ids.size(); a++) {
                for (int b = a + 1; b < ids.size(); b++) {
                    String x = ids.get(a);
                    String y = ids.get(b);
                    if (c.tie()) {
                        out.add(vote(j, x, y, Outcome.TIE));
                    } else if (c.preferred().equals(x)) {
                        out.add(vote(j, x, y, winnerOutcome(x, y)));
                    } else if (c.preferred().equals(y)) {
                        out.add(vote(j, y, x, winnerOutcome(y, x)));
                    }
                }
            }
        } else if (judgement instanceof Judgement.Ranking r) {
            List<String> order = r.order();
            for (int a = 0; a < order.size(); a++) {
                for (int b = a + 1; b < order.size(); b++) {
                    out.add(vote(j, order.get(a), order.get(b), winnerOutcome(order.get(a), order.get(b))));
                }
            }
        } else if (judgement instanceof Judgement.Ratings r) {
            Map<String, Double> s = r.scores();
            for (int a = 0; a < ids.size(); a++) {
                for (int b = a + 1; b < ids.size(); b++) {
                    Double sa = s.get(ids.get(a));
                    Double sb = s.get(ids.get(b));
                    if (sa == null || sb == null) {
                        continue;
                    }
                    int cmp = Double.compare(sa, sb);
                    String x = ids.get(a);
                    String y = ids.get(b);
                    Outcome o = cmp == 0 ? Outcome.TIE : cmp > 0 ? winnerOutcome(x, y) : winnerOutcome(y, x);
                    out.add(vote(j, x, y, o));
                }
            }
        }
        return out;
    }

    /** The outcome on the canonical pair of {@code winner} and {@code loser} when {@code winner} wins. */
    private static Outcome winnerOutcome(String winner, String loser) {
        return winner.compareTo(loser) < 0 ? Outcome.FIRST : Outcome.SECOND;
    }

    private static PairwiseVote vote(AnnotatedJudgement j, String x, String y, Outcome outcome) {
        ResponsePair pair = ResponsePair.of(x, y);
        return new PairwiseVote(j.eventId(), j.annotatorId(), pair, outcome, shownFirst(j.shownOrder(), pair));
    }

    private static ShownFirst shownFirst(List<String> shownOrder, ResponsePair pair) {
        int f = shownOrder.indexOf(pair.first());
        int s = shownOrder.indexOf(pair.second());
        if (f < 0 || s < 0) {
            return ShownFirst.UNKNOWN;
        }
        return f < s ? ShownFirst.FIRST : ShownFirst.SECOND;
    }
}
