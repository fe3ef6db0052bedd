package io.prefpipe.app.bench;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Pairwise judgements of realistic size for the curation benchmark: prompts of about {@link Config#promptBytes()}
 * bytes and two responses of about {@link Config#responseBytes()} bytes each (±30%, words of a seeded pseudo-English
 * vocabulary, so that compression sees text-like data), each comparison judged by {@link Config#minVotes()} to {@link
 * Config#maxVotes()} annotators, 70% of whom agree with the comparison's better response. The judgements of a
 * comparison follow one another; event times advance by one millisecond per judgement from {@code start}.
 * Deterministic by seed.
 */
public final class BenchFeedback implements Iterable<FeedbackEvent> {

    /**
     * @param judgements events to generate
     * @param promptBytes mean prompt length in bytes
     * @param responseBytes mean response length in bytes
     * @param minVotes fewest judgements per comparison, at least 1
     * @param maxVotes most judgements per comparison, at least {@code minVotes}
     * @param annotators size of the annotator pool
     * @param seed seeds texts, votes and annotators
     */
    public record Config(long judgements, int promptBytes, int responseBytes, int minVotes, int maxVotes,
            int annotators, long seed) {
        public Config {
            if (judgements < 1 || promptBytes < 1 || responseBytes < 1 || annotators < 1) {
                throw new IllegalArgumentException("judgements, promptBytes, responseBytes and annotators must be"
                        + " >= 1");
            }
            if (minVotes < 1 || maxVotes < minVotes) {
                throw new IllegalArgumentException("need 1 <= minVotes <= maxVotes, got " + minVotes + ".."
                        + maxVotes);
            }
        }

        /** The benchmark: 1,000,000 judgements, prompts ~200 bytes, responses ~500, 3–5 votes each. */
        public static Config standard(long judgements) {
            return new Config(judgements, 200, 500, 3, 5, 500, 42);
        }
    }

    private static final int VOCABULARY = 4096;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "an", "el", "or", "un",
        "ber", "con", "dis", "fer", "gan", "hol", "ist", "jor", "ment", "pre", "qua", "ster", "tion", "ward"};

    private final Config config;
    private final Instant start;
    private final String[] words;

    public BenchFeedback(Config config, Instant start) {
        this.config = config;
        this.start = start;
        Random random = new Random(config.seed() ^ 0x5DEECE66DL);
        words = new String[VOCABULARY];
        for (int i = 0; i < VOCABULARY; i++) {
            StringBuilder word = new StringBuilder();
            int syllables = 1 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words[i] = word.toString();
        }
    }

    public Config config() {
        return config;
    }

    @Override
    public Iterator<FeedbackEvent> iterator() {
        return new Iterator<>() {
            private final Random random = new Random(config.seed());
            private long produced;
            private long comparison = -1;
            private int votesLeft;
            private String prompt;
            private List<Response> responses;
            private String better;
            private String worse;

            @Override
            public boolean hasNext() {
                return produced < config.judgements();
            }

            @Override
            public FeedbackEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (votesLeft == 0) {
                    newComparison();
                }
                votesLeft--;
                boolean agrees = random.nextDouble() < 0.7;
                List<String> shown = random.nextBoolean() ? List.of("a", "b") : List.of("b", "a");
                String annotator = "annotator-" + random.nextInt(config.annotators());
                FeedbackEvent event = FeedbackEvent.newBuilder()
                        .setEventId("bench-" + produced)
                        .setComparisonId("cmp-" + comparison)
                        .setPrompt(prompt)
                        .setResponses(responses)
                        .setJudgement(PairwiseChoice.newBuilder().setPreferred(agrees ? better : worse).build())
                        .setShownOrder(shown)
                        .setAnnotator(new Annotator(annotator, AnnotatorKind.HUMAN))
                        .setEventTime(start.plusMillis(produced))
                        .setMetadata(Map.of())
                        .build();
                produced++;
                return event;
            }

            private void newComparison() {
                comparison++;
                votesLeft = config.minVotes() + random.nextInt(config.maxVotes() - config.minVotes() + 1);
                prompt = text(random, config.promptBytes());
                responses = new ArrayList<>(2);
                responses.add(new Response("a", text(random, config.responseBytes()), "base"));
                responses.add(new Response("b", text(random, config.responseBytes()), "base"));
                better = random.nextBoolean() ? "a" : "b";
                worse = better.equals("a") ? "b" : "a";
            }
        };
    }

    /** Words until about {@code bytes} bytes, ±30%. */
    private String text(Random random, int bytes) {
        int target = (int) Math.max(1, Math.round(bytes * (0.7 + 0.6 * random.nextDouble())));
        StringBuilder text = new StringBuilder(target + 16);
        while (text.length() < target) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(words[random.nextInt(VOCABULARY)]);
        }
        return text.toString();
    }
}
