package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import java.util.List;

/**
 * Majority vote. With n₁ votes for the first response, n₂ for the second and t ties:
 *
 * <pre>
 *   decided   = FIRST if n₁ &gt; n₂, SECOND if n₂ &gt; n₁, else TIE (undecided, never broken arbitrarily)
 *   p(first)  = (n₁ + t/2) / (n₁ + n₂ + t)          (½ when there are no votes)
 *   agreement = max(n₁, n₂) / (n₁ + n₂ + t)         (0 when undecided)
 * </pre>
 */
public final class MajorityVote implements PairwiseAggregator {

    @Override
    public String name() {
        return "mv";
    }

    @Override
    public PairLabel aggregate(ResponsePair pair, List<PairwiseVote> votes) {
        int first = 0;
        int second = 0;
        int ties = 0;
        for (PairwiseVote v : votes) {
            if (!v.pair().equals(pair)) {
                throw new IllegalArgumentException("vote from event " + v.eventId() + " is on " + v.pair()
                        + ", not on " + pair);
            }
            switch (v.outcome()) {
                case FIRST -> first++;
                case SECOND -> second++;
                case TIE -> ties++;
            }
        }
        int n = first + second + ties;
        double pFirst = n == 0 ? 0.5 : (first + ties / 2.0) / n;
        Outcome decided = first > second ? Outcome.FIRST : second > first ? Outcome.SECOND : Outcome.TIE;
        double agreement = decided == Outcome.TIE ? 0 : (double) Math.max(first, second) / n;
        return new PairLabel(pair, decided, pFirst, n, agreement);
    }
}
