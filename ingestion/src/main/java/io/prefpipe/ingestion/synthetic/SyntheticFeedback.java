package io.prefpipe.ingestion.synthetic;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Generates synthetic feedback: pairwise judgements by simulated annotators over comparisons of two base responses in
 * a {@link SyntheticWorld}. Deterministic: the same configuration and world always give the same events in the same
 * order. Events are generated lazily, so a long stream does not sit in memory.
 *
 * <p>Each comparison ({@code cmp-<seed>-<n>}) is a training prompt and two distinct responses {@code r1}, {@code r2}
 * drawn from the base distribution (policy version {@value #POLICY_VERSION}). Its judgements
 * ({@code evt-<seed>-<n>}) come from distinct annotators, each with a freshly randomized display order
 * ({@code shown_order}) and a pairwise choice without tie or strength. About {@value #OPEN_COMPARISONS} comparisons are
 * open at a time and their judgements interleave, as votes from many annotators would. Event times increase from the
 * configured start.
 *
 * <p>Optionally, after a judgement, the stream also carries
 * <ul>
 *   <li>a redelivery: an exact copy (same event id, same event time) of one of the last {@value #REDELIVERY_WINDOW}
 *       judgements, to exercise deduplication;
 *   <li>a malformed event ({@code bad-<seed>-<n>}), a copy of the judgement that breaks one validation rule (a
 *       preferred id that is no response, an empty prompt, an empty response text, a duplicate response id, an event
 *       time of 1970-01-01, a blank annotator id), to exercise the dead-letter path.
 * </ul>
 * The truth to score labels against is the world's: {@link SyntheticWorld#truePreferenceProbability} of the event's
 * prompt and responses.
 */
public final class SyntheticFeedback implements Iterable<FeedbackEvent> {
    /** The policy version of every generated response. */
    public static final String POLICY_VERSION = "base";
    static final int OPEN_COMPARISONS = 32;
    static final int REDELIVERY_WINDOW = 1024;
    private static final int MALFORMED_KINDS = 6;
    /** Decorrelates the annotator shuffle from the event stream, which uses the seed itself. */
    private static final long ANNOTATOR_SEED_SALT = 0x9E3779B97F4A7C15L;

    private final SyntheticFeedbackConfig config;
    private final SyntheticWorld world;
    private final List<SimulatedAnnotator> annotators;
    private final Map<String, SimulatedAnnotator> annotatorsById;

    /** Feedback in a standard {@link SyntheticWorld}. */
    public SyntheticFeedback(SyntheticFeedbackConfig config) {
        this(config, new SyntheticWorld());
    }

    public SyntheticFeedback(SyntheticFeedbackConfig config, SyntheticWorld world) {
        this.config = Objects.requireNonNull(config, "config");
        this.world = Objects.requireNonNull(world, "world");
        this.annotators = createAnnotators(config);
        Map<String, SimulatedAnnotator> byId = new LinkedHashMap<>();
        annotators.forEach(a -> byId.put(a.id(), a));
        this.annotatorsById = Collections.unmodifiableMap(byId);
    }

    public SyntheticFeedbackConfig config() {
        return config;
    }

    public SyntheticWorld world() {
        return world;
    }

    /** The simulated annotators, {@code ann-01} upwards. */
    public List<SimulatedAnnotator> annotators() {
        return annotators;
    }

    /** The simulated annotator with this id. */
    public Optional<SimulatedAnnotator> annotator(String id) {
        return Optional.ofNullable(annotatorsById.get(id));
    }

    /** A fresh pass over the events, from the start. */
    @Override
    public Iterator<FeedbackEvent> iterator() {
        return new Generator();
    }

    /** The events as a sequential stream. */
    public Stream<FeedbackEvent> stream() {
        return StreamSupport.stream(spliterator(), false);
    }

    /**
     * Apportions annotators to profiles by largest remainder, so the mix is as exact as whole annotators allow, then
     * shuffles them so that ids do not reveal behaviours.
     */
    private static List<SimulatedAnnotator> createAnnotators(SyntheticFeedbackConfig config) {
        List<AnnotatorProfile> mix = config.mix();
        double total = mix.stream().mapToDouble(AnnotatorProfile::share).sum();
        int[] counts = new int[mix.size()];
        double[] remainders = new double[mix.size()];
        int assigned = 0;
        for (int i = 0; i < mix.size(); i++) {
            double exact = config.annotators() * mix.get(i).share() / total;
            counts[i] = (int) Math.floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        List<Integer> byRemainder = IntStream.range(0, mix.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -remainders[i]).thenComparing(i -> i))
                .toList();
        for (int k = 0; assigned < config.annotators(); k++, assigned++) {
            counts[byRemainder.get(k)]++;
        }
        List<AnnotatorProfile> slots = new ArrayList<>();
        for (int i = 0; i < mix.size(); i++) {
            slots.addAll(Collections.nCopies(counts[i], mix.get(i)));
        }
        Collections.shuffle(slots, new Random(config.seed() ^ ANNOTATOR_SEED_SALT));
        String format = "ann-%0" + Math.max(2, String.valueOf(slots.size()).length()) + "d";
        List<SimulatedAnnotator> annotators = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            AnnotatorProfile p = slots.get(i);
            annotators.add(new SimulatedAnnotator(String.format(format, i + 1), p.behaviour(), p.kind(), p.rate()));
        }
        return List.copyOf(annotators);
    }

    /** A comparison that still has judgements to emit. */
    private static final class OpenComparison {
        final String id;
        final String prompt;
        final String textR1;
        final String textR2;
        final int[] annotators;
        int judged;

        OpenComparison(String id, String prompt, String textR1, String textR2, int[] annotators) {
            this.id = id;
            this.prompt = prompt;
            this.textR1 = textR1;
            this.textR2 = textR2;
            this.annotators = annotators;
        }
    }

    private final class Generator implements Iterator<FeedbackEvent> {
        private final Random random = new Random(config.seed());
        private final int[] judgementsPerComparison;
        private final int[] annotatorIndices;
        private final List<OpenComparison> open = new ArrayList<>(OPEN_COMPARISONS);
        private final ArrayDeque<FeedbackEvent> injected = new ArrayDeque<>();
        private final FeedbackEvent[] recent = new FeedbackEvent[REDELIVERY_WINDOW];
        private int nextComparison;
        private long emitted;
        private long malformed;
        private long timeMillis = config.start().toEpochMilli();

        Generator() {
            judgementsPerComparison = new int[config.comparisons()];
            Arrays.fill(judgementsPerComparison, 1);
            for (long extra = (long) config.judgements() - config.comparisons(); extra > 0; ) {
                int c = random.nextInt(config.comparisons());
                if (judgementsPerComparison[c] < annotators.size()) {
                    judgementsPerComparison[c]++;
                    extra--;
                }
            }
            annotatorIndices = IntStream.range(0, annotators.size()).toArray();
        }

        @Override
        public boolean hasNext() {
            return !injected.isEmpty() || emitted < config.judgements();
        }

        @Override
        public FeedbackEvent next() {
            if (!injected.isEmpty()) {
                return injected.poll();
            }
            if (emitted >= config.judgements()) {
                throw new NoSuchElementException("all " + config.judgements() + " judgements were generated");
            }
            while (open.size() < OPEN_COMPARISONS && nextComparison < config.comparisons()) {
                open.add(openComparison(nextComparison++));
            }
            int i = random.nextInt(open.size());
            OpenComparison c = open.get(i);
            FeedbackEvent event = judge(c);
            if (c.judged == c.annotators.length) {
                open.set(i, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
            recent[(int) (emitted % REDELIVERY_WINDOW)] = event;
            emitted++;
            if (config.redeliveryRate() > 0 && random.nextDouble() < config.redeliveryRate()) {
                int window = (int) Math.min(emitted, REDELIVERY_WINDOW);
                injected.add(FeedbackEvent.newBuilder(recent[random.nextInt(window)]).build());
            }
            if (config.malformedRate() > 0 && random.nextDouble() < config.malformedRate()) {
                injected.add(malformed(event));
            }
            return event;
        }

        private OpenComparison openComparison(int n) {
            String prompt = world.samplePrompt(random);
            String a = world.sampleResponse(prompt, random);
            String b = world.sampleResponse(prompt, random);
            // identical responses carry no preference; a few redraws make them vanishingly rare
            for (int tries = 0; b.equals(a) && tries < 10; tries++) {
                b = world.sampleResponse(prompt, random);
            }
            int k = judgementsPerComparison[n];
            for (int j = 0; j < k; j++) {
                int pick = j + random.nextInt(annotatorIndices.length - j);
                int swap = annotatorIndices[j];
                annotatorIndices[j] = annotatorIndices[pick];
                annotatorIndices[pick] = swap;
            }
            return new OpenComparison("cmp-" + config.seed() + "-" + n, prompt, a, b,
                    Arrays.copyOf(annotatorIndices, k));
        }

        private FeedbackEvent judge(OpenComparison c) {
            SimulatedAnnotator annotator = annotators.get(c.annotators[c.judged++]);
            boolean r1First = random.nextBoolean();
            String firstText = r1First ? c.textR1 : c.textR2;
            String secondText = r1First ? c.textR2 : c.textR1;
            double p = world.truePreferenceProbability(c.prompt, firstText, secondText);
            boolean first = annotator.prefersFirstShown(p, random);
            String preferred = first == r1First ? "r1" : "r2";
            Instant time = Instant.ofEpochMilli(timeMillis);
            double gap = -Math.log(1 - random.nextDouble()) * config.meanInterval().toMillis();
            timeMillis += Math.max(1, Math.round(gap));
            // fresh Avro objects per event: they are mutable, and a consumer may change one event's copy
            return FeedbackEvent.newBuilder()
                    .setEventId("evt-" + config.seed() + "-" + emitted)
                    .setComparisonId(c.id)
                    .setPrompt(c.prompt)
                    .setResponses(List.of(response("r1", c.textR1), response("r2", c.textR2)))
                    .setJudgement(PairwiseChoice.newBuilder().setPreferred(preferred).build())
                    .setShownOrder(r1First ? List.of("r1", "r2") : List.of("r2", "r1"))
                    .setAnnotator(new Annotator(annotator.id(), annotator.kind()))
                    .setEventTime(time)
                    .setMetadata(Map.of())
                    .build();
        }

        private FeedbackEvent malformed(FeedbackEvent valid) {
            FeedbackEvent e = FeedbackEvent.newBuilder(valid).setEventId("bad-" + config.seed() + "-" + malformed++)
                    .build();
            List<Response> responses = e.getResponses();
            switch (random.nextInt(MALFORMED_KINDS)) {
                case 0 -> e.setJudgement(PairwiseChoice.newBuilder().setPreferred("r3").build());
                case 1 -> e.setPrompt("");
                case 2 -> e.setResponses(List.of(responses.get(0), response("r2", "")));
                case 3 -> e.setResponses(List.of(responses.get(0), response("r1", responses.get(1).getText())));
                case 4 -> e.setEventTime(Instant.EPOCH);
                default -> e.setAnnotator(new Annotator("", e.getAnnotator().getKind()));
            }
            return e;
        }

        private static Response response(String id, String text) {
            return Response.newBuilder().setId(id).setText(text).setPolicyVersion(POLICY_VERSION).build();
        }
    }
}
