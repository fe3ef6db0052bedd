package io.prefpipe.optimizer.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A prompt with K ≥ 2 graded responses: the unit of listwise preference optimization (LiPO). A higher label is
 * better; equal labels express no preference between two responses.
 *
 * @param listId identifies the list (e.g. the ranking judgement it came from)
 * @param prompt the prompt every response answers
 * @param responses the responses, K ≥ 2
 * @param labels ψ, one finite grade per response (e.g. K − rank, or a rating)
 */
public record RankedExample(String listId, String prompt, List<String> responses, List<Double> labels) {

    public RankedExample {
        Objects.requireNonNull(listId, "listId");
        Objects.requireNonNull(prompt, "prompt");
        responses = List.copyOf(Objects.requireNonNull(responses, "responses"));
        labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
        if (responses.size() < 2) {
            throw new IllegalArgumentException("responses of list " + listId + " must hold at least 2, got "
                    + responses.size());
        }
        if (labels.size() != responses.size()) {
            throw new IllegalArgumentException("labels of list " + listId + " must have one grade per response ("
                    + responses.size() + "), got " + labels.size());
        }
        for (double label : labels) {
            if (!Double.isFinite(label)) {
                throw new IllegalArgumentException("labels of list " + listId + " must be finite, got " + labels);
            }
        }
    }

    /** K, the number of responses. */
    public int size() {
        return responses.size();
    }

    /**
     * The pairs this list implies: every (i, j) with ψ_i &gt; ψ_j becomes (chosen y_i, rejected y_j), in index order.
     * Pairwise losses trained on them see the same preferences as a listwise loss on the list.
     */
    public List<PreferenceExample> pairs() {
        List<PreferenceExample> pairs = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            for (int j = 0; j < responses.size(); j++) {
                if (labels.get(i) > labels.get(j)) {
                    pairs.add(PreferenceExample.of(listId + "/" + i + ">" + j, prompt, responses.get(i),
                            responses.get(j)));
                }
            }
        }
        return pairs;
    }

    /**
     * The lists a set of pairs forms: per prompt (in order of first appearance), its distinct responses (in order of
     * first appearance), cut into lists of at most {@code maxSize} responses so that a step's cost stays bounded when
     * a prompt has many responses. Each response is graded by the number of pairs it was chosen in, divided by the
     * most any response of its list was chosen, so grades lie in [0, 1]: LiPO-λ's gain 2^ψ − 1 is exponential in ψ,
     * and raw counts (a response chosen 5 times has gain 31, one chosen once 1) would put nearly all the weight on the
     * pairs against the most-chosen response. Lists with fewer than two responses, or whose grades are all equal, say
     * nothing and are left out. The pairs a list implies ({@link #pairs()}) compare each response with those it won
     * against more often: a transitive completion of the observed preferences.
     *
     * @throws IllegalArgumentException if maxSize &lt; 2
     */
    public static List<RankedExample> fromPairs(List<PreferenceExample> pairs, int maxSize) {
        if (maxSize < 2) {
            throw new IllegalArgumentException("maxSize must be >= 2, got " + maxSize);
        }
        Map<String, Map<String, Double>> wins = new LinkedHashMap<>();
        for (PreferenceExample pair : pairs) {
            Map<String, Double> grades = wins.computeIfAbsent(pair.prompt(), p -> new LinkedHashMap<>());
            grades.merge(pair.chosen(), 1.0, Double::sum);
            grades.putIfAbsent(pair.rejected(), 0.0);
        }
        List<RankedExample> lists = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> prompt : wins.entrySet()) {
            List<String> responses = List.copyOf(prompt.getValue().keySet());
            for (int from = 0; from < responses.size(); from += maxSize) {
                List<String> chunk = responses.subList(from, Math.min(responses.size(), from + maxSize));
                List<Double> chosen = chunk.stream().map(prompt.getValue()::get).toList();
                if (chunk.size() >= 2 && chosen.stream().distinct().count() > 1) {
                    // distinct counts ≥ 0 include one > 0
                    double most = chosen.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                    lists.add(new RankedExample("prompt-" + lists.size(), prompt.getKey(), chunk,
                            chosen.stream().map(w -> w / most).toList()));
                }
            }
        }
        return lists;
    }
}
