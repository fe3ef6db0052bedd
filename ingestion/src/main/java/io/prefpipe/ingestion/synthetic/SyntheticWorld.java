package io.prefpipe.ingestion.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A small world of prompts and responses with a hidden true reward r*.
 *
 * <p><b>Language.</b> Lower-case ASCII words separated by spaces. Each of five topics (cooking, garden, travel, money,
 * fitness) has three verbs, four nouns and seven answer words. A prompt is one of six templates filled with a topic's
 * verb and noun, 3 to 5 words ({@code how do i bake bread}, {@code pack bags tips}); the 360 prompts are split once
 * and for all into 288 training prompts and 72 held-out prompts. A response is 3 to 6 words.
 *
 * <p><b>True reward.</b> For a prompt x of topic t and any string y, split on ASCII whitespace into words
 * w<sub>1..n</sub>:
 * <pre>
 *   r*(x, y) = 1.5 * ( mean_i v(w_i) - 0.5 * max(0, n - 8) - 0.5 * max(0, 3 - n) )      (n &ge; 1)
 *   r*(x, y) = 1.5 * -4                                                                  (y has no words)
 * </pre>
 * where v(w) is +2 for an answer word of t, +0.8 for a helpful word ({@code first}, {@code gently}, ...), +0.5 for a
 * verb or noun of t, 0 for a filler word ({@code the}, {@code and}, ...), -1 for a word of another topic, -2.5 for a
 * rude or dismissive word ({@code whatever}, {@code stupid}, ...), -3 for anything else (unknown or garbled words,
 * any byte outside {@code a-z}), and -1 for a word already used earlier in the response, so repeating the best word
 * is not the best response. r* ranges from -6 (empty) through about -4.5 (garbage) to 3 (only distinct answer words
 * of the topic, 3 to 8 of them). A prompt of no known topic has no answer words. The factor 1.5 makes Bradley-Terry
 * preferences between two base responses informative: P(a over b) = σ(r*(a) - r*(b)) has median about 0.74 and
 * 90th percentile about 0.93.
 *
 * <p><b>Base distribution.</b> {@link #sampleResponse} draws a quality q ~ U(0, 1), a length 3..6, and each word
 * independently: an answer word of the topic with probability 0.1 + 0.5q, helpful 0.2, filler 0.3 - 0.15q, another
 * topic's answer word 0.2 - 0.15q, rude 0.2 - 0.2q.
 *
 * <p>Immutable and thread-safe; everything random takes the caller's {@link Random}.
 */
public final class SyntheticWorld {
    private static final double SCALE = 1.5;
    private static final double ANSWER = 2.0;
    private static final double HELPFUL = 0.8;
    private static final double RELATED = 0.5;
    private static final double FILLER = 0.0;
    private static final double OFF_TOPIC = -1.0;
    private static final double RUDE = -2.5;
    private static final double UNKNOWN = -3.0;
    private static final double REPEAT = -1.0;
    private static final double EMPTY = -4.0;
    private static final int MIN_WORDS = 3;
    private static final int MAX_WORDS = 8;
    private static final double LENGTH_PENALTY = 0.5;
    private static final int HELD_OUT_PROMPTS = 72;
    /** Fixed, so the train/held-out split of prompts never changes. */
    private static final long SPLIT_SEED = 20261128L;

    private record Topic(String name, List<String> verbs, List<String> nouns, List<String> answers) {}

    private static final List<Topic> TOPICS = List.of(
            new Topic("cooking", List.of("cook", "bake", "season"), List.of("rice", "bread", "soup", "pasta"),
                    List.of("boil", "stir", "salt", "oven", "simmer", "taste", "butter")),
            new Topic("garden", List.of("grow", "plant", "prune"), List.of("roses", "tomatoes", "herbs", "trees"),
                    List.of("soil", "sun", "seeds", "compost", "roots", "shade", "mulch")),
            new Topic("travel", List.of("plan", "book", "pack"), List.of("trip", "flight", "hotel", "bags"),
                    List.of("map", "ticket", "passport", "route", "station", "early", "light")),
            new Topic("money", List.of("save", "invest", "track"), List.of("money", "savings", "budget", "taxes"),
                    List.of("bank", "spend", "less", "fund", "interest", "receipts", "monthly")),
            new Topic("fitness", List.of("train", "stretch", "build"), List.of("legs", "back", "muscles", "stamina"),
                    List.of("warm", "rest", "sleep", "steady", "walk", "breathe", "water")));
    private static final List<String> HELPFUL_WORDS =
            List.of("first", "then", "try", "gently", "slowly", "daily", "always", "carefully");
    private static final List<String> FILLER_WORDS = List.of("the", "a", "and", "it", "with", "your", "you", "to");
    private static final List<String> RUDE_WORDS =
            List.of("no", "stupid", "whatever", "dunno", "ugh", "boring", "never");
    private static final List<String> TEMPLATES = List.of("how do i %s %s", "best way to %s %s", "help me %s %s",
            "%s %s tips", "can you %s my %s", "how to %s %s");

    private final Map<String, Topic> topicOfWord = new HashMap<>();
    private final Set<String> vocabulary;
    private final List<String> trainingPrompts;
    private final List<String> heldOutPrompts;

    public SyntheticWorld() {
        // Every word belongs to exactly one class, or v(w) would be ambiguous.
        Set<String> vocabulary = new HashSet<>();
        for (Topic t : TOPICS) {
            for (String w : concat(t.verbs(), t.nouns(), t.answers())) {
                requireNew(vocabulary, w);
                topicOfWord.put(w, t);
            }
        }
        for (String w : concat(HELPFUL_WORDS, FILLER_WORDS, RUDE_WORDS)) {
            requireNew(vocabulary, w);
        }
        this.vocabulary = Set.copyOf(vocabulary);
        List<String> all = new ArrayList<>();
        for (Topic t : TOPICS) {
            for (String template : TEMPLATES) {
                for (String verb : t.verbs()) {
                    for (String noun : t.nouns()) {
                        all.add(String.format(template, verb, noun));
                    }
                }
            }
        }
        Collections.shuffle(all, new Random(SPLIT_SEED));
        heldOutPrompts = List.copyOf(all.subList(0, HELD_OUT_PROMPTS));
        trainingPrompts = List.copyOf(all.subList(HELD_OUT_PROMPTS, all.size()));
    }

    private static void requireNew(Set<String> vocabulary, String word) {
        if (!vocabulary.add(word)) {
            throw new IllegalStateException("word '" + word + "' is in two word classes");
        }
    }

    /** The true reward r*(prompt, response) of any response string; see the class comment. */
    public double reward(String prompt, String response) {
        Topic topic = topicOf(prompt);
        List<String> words = words(response);
        if (words.isEmpty()) {
            return SCALE * EMPTY;
        }
        Set<String> seen = new HashSet<>();
        double total = 0;
        for (String w : words) {
            total += seen.add(w) ? value(w, topic) : REPEAT;
        }
        int n = words.size();
        double penalty = LENGTH_PENALTY * (Math.max(0, n - MAX_WORDS) + Math.max(0, MIN_WORDS - n));
        return SCALE * (total / n - penalty);
    }

    /** The Bradley-Terry probability that {@code a} is preferred to {@code b}: σ(r*(a) - r*(b)). */
    public double truePreferenceProbability(String prompt, String a, String b) {
        return 1.0 / (1.0 + Math.exp(reward(prompt, b) - reward(prompt, a)));
    }

    /** A response drawn from the base distribution, the one a reference policy imitates. */
    public String sampleResponse(String prompt, Random random) {
        Topic topic = topicOf(prompt);
        List<String> answers = topic == null ? List.of() : topic.answers();
        List<String> otherAnswers = new ArrayList<>();
        for (Topic t : TOPICS) {
            if (t != topic) {
                otherAnswers.addAll(t.answers());
            }
        }
        double q = random.nextDouble();
        int n = 3 + random.nextInt(4);
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double pAnswer = answers.isEmpty() ? 0 : 0.10 + 0.50 * q;
            double pHelpful = 0.20;
            double pFiller = 0.30 - 0.15 * q + (answers.isEmpty() ? 0.10 + 0.50 * q : 0);
            double pOther = 0.20 - 0.15 * q;
            List<String> pool;
            if (u < pAnswer) {
                pool = answers;
            } else if (u < pAnswer + pHelpful) {
                pool = HELPFUL_WORDS;
            } else if (u < pAnswer + pHelpful + pFiller) {
                pool = FILLER_WORDS;
            } else if (u < pAnswer + pHelpful + pFiller + pOther) {
                pool = otherAnswers;
            } else {
                pool = RUDE_WORDS;
            }
            words.add(pool.get(random.nextInt(pool.size())));
        }
        return String.join(" ", words);
    }

    /** A prompt drawn uniformly from the training prompts. */
    public String samplePrompt(Random random) {
        return trainingPrompts.get(random.nextInt(trainingPrompts.size()));
    }

    /**
     * {@code n} held-out evaluation prompts, never drawn by {@link #samplePrompt}: the held-out prompts in an order
     * shuffled by {@code seed}, repeated from the start when {@code n} exceeds their number (72).
     */
    public List<String> prompts(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        List<String> order = new ArrayList<>(heldOutPrompts);
        Collections.shuffle(order, new Random(seed));
        List<String> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            prompts.add(order.get(i % order.size()));
        }
        return prompts;
    }

    /**
     * The words r* knows: every word outside this set scores as unknown. The fraction of a policy's words in it is a
     * cheap measure of whether it has learnt the language.
     */
    public Set<String> vocabulary() {
        return vocabulary;
    }

    /** The prompts {@link #samplePrompt} draws from. */
    public List<String> trainingPrompts() {
        return trainingPrompts;
    }

    /** The prompts {@link #prompts} draws from. */
    public List<String> heldOutPrompts() {
        return heldOutPrompts;
    }

    /** The topic of a prompt: that of its first verb or noun of a topic, if any. */
    public Optional<String> topic(String prompt) {
        return Optional.ofNullable(topicOf(prompt)).map(Topic::name);
    }

    private Topic topicOf(String prompt) {
        for (String w : words(prompt)) {
            Topic t = topicOfWord.get(w);
            if (t != null && (t.verbs().contains(w) || t.nouns().contains(w))) {
                return t;
            }
        }
        return null;
    }

    private double value(String word, Topic topic) {
        Topic owner = topicOfWord.get(word);
        if (owner != null) {
            if (owner != topic) {
                return OFF_TOPIC;
            }
            return owner.answers().contains(word) ? ANSWER : RELATED;
        }
        if (HELPFUL_WORDS.contains(word)) {
            return HELPFUL;
        }
        if (FILLER_WORDS.contains(word)) {
            return FILLER;
        }
        if (RUDE_WORDS.contains(word)) {
            return RUDE;
        }
        return UNKNOWN;
    }

    /** Splits on ASCII whitespace only, so any other byte stays part of a (then unknown) word. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean space = i == text.length() || isAsciiSpace(text.charAt(i));
            if (space && start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words;
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
