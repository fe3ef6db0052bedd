package io.prefpipe.labeling.pairwise;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/** What an annotator said about a set of responses: a choice (or tie), a ranking, or a score per response. */
public sealed interface Judgement permits Judgement.Choice, Judgement.Ranking, Judgement.Ratings {

    /**
     * The preferred response, or a tie.
     *
     * @param preferred the preferred response id; {@code null} exactly when {@code tie}
     * @param tie whether the annotator judged the responses equally good
     * @param strength optional strength of the preference in [0, 1]
     */
    record Choice(String preferred, boolean tie, OptionalDouble strength) implements Judgement {
        public Choice {
            Objects.requireNonNull(strength, "strength");
            if (tie == (preferred != null)) {
                throw new IllegalArgumentException("preferred must be set exactly when tie is false, got preferred="
                        + preferred + " tie=" + tie);
            }
        }

        public static Choice of(String preferred) {
            return new Choice(preferred, false, OptionalDouble.empty());
        }

        public static Choice ofTie() {
            return new Choice(null, true, OptionalDouble.empty());
        }
    }

    /** @param order response ids, best first */
    record Ranking(List<String> order) implements Judgement {
        public Ranking {
            order = List.copyOf(order);
        }
    }

    /** @param scores a score per response id; higher is better */
    record Ratings(Map<String, Double> scores) implements Judgement {
        public Ratings {
            scores = Map.copyOf(scores);
        }
    }
}
