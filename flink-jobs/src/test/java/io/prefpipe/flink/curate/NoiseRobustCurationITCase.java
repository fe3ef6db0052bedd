package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.AnnotatorBehaviour;
import io.prefpipe.ingestion.synthetic.AnnotatorProfile;
import io.prefpipe.ingestion.synthetic.SimulatedAnnotator;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.schema.Voter;
import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Noise-robust curation end to end, on a real broker and a local MiniCluster, in the synthetic world whose hidden
 * reward says which response of every comparison is truly better.
 */
class NoiseRobustCurationITCase {
    /** 20% spammers and 10% adversaries (90% flips); the rest accurate or noisy (15% and 30% flips). */
    private static final List<AnnotatorProfile> MIX = List.of(
            new AnnotatorProfile(AnnotatorBehaviour.ACCURATE, AnnotatorKind.HUMAN, 0.30, 0),
            new AnnotatorProfile(AnnotatorBehaviour.ACCURATE, AnnotatorKind.AI_JUDGE, 0.10, 0),
            new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 0.15, 0.15),
            new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 0.15, 0.30),
            new AnnotatorProfile(AnnotatorBehaviour.SPAMMER, AnnotatorKind.IMPLICIT, 0.20, 0),
            new AnnotatorProfile(AnnotatorBehaviour.ADVERSARIAL, AnnotatorKind.HUMAN, 0.10, 0.90));

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    /**
     * Synthetic feedback on its own single-partition topic (one partition, so the watermark is a function of the
     * input), and what the hidden reward says about it.
     *
     * @param topic the feedback topic
     * @param feedback the generator
     * @param better the truly better response of every comparison whose responses differ in reward
     * @param validJudgements distinct valid judgements produced (redeliveries and malformed events left out)
     * @param wrongJudgementRate share of the valid judgements on those comparisons that prefer the worse response
     */
    private record Produced(String topic, SyntheticFeedback feedback, Map<String, String> better, int validJudgements,
            double wrongJudgementRate) {}

    private static Produced produce(SyntheticFeedbackConfig config) throws Exception {
        String topic = "feedback-" + UUID.randomUUID();
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 1, (short) 1);
        SyntheticFeedback feedback = new SyntheticFeedback(config);
        SyntheticWorld world = feedback.world();
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<byte[]> messages = new ArrayList<>();
        Map<String, String> better = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int judged = 0;
        int wrong = 0;
        for (FeedbackEvent e : feedback) {
            messages.add(codec.encode(e));
            if (e.getEventId().startsWith("bad-") || !seen.add(e.getEventId())) {
                continue;
            }
            double r1 = world.reward(e.getPrompt(), e.getResponses().get(0).getText());
            double r2 = world.reward(e.getPrompt(), e.getResponses().get(1).getText());
            if (r1 == r2) {
                continue;
            }
            String truth = r1 > r2 ? "r1" : "r2";
            better.put(e.getComparisonId(), truth);
            judged++;
            if (!((PairwiseChoice) e.getJudgement()).getPreferred().equals(truth)) {
                wrong++;
            }
        }
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), topic, messages);
        return new Produced(topic, feedback, better, seen.size(), (double) wrong / judged);
    }

    /** A bounded run over {@code topic} with its own output topics; every comparison the same in every run. */
    private CurationJobConfig.Builder run(String topic, String name) {
        String suffix = name + "-" + UUID.randomUUID();
        return CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic(topic)
                .setFeedbackJsonTopic("json-" + suffix)
                .setDeadLetterTopic("dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setAnnotatorsTopic("annotators-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(tmp.resolve(name))
                .setCheckpointInterval(Duration.ofMillis(500))
                .setProgressInterval(Duration.ofSeconds(1));
    }

    /**
     * How well a snapshot's pairs match the truth.
     *
     * @param comparisons comparisons with a truly better response
     * @param pairs pairs on those comparisons (at most one each: every comparison has two responses)
     * @param correct pairs whose chosen response is the truly better one
     */
    private record Accuracy(int comparisons, int pairs, int correct) {
        static Accuracy of(List<PreferencePair> snapshot, Map<String, String> better) {
            int pairs = 0;
            int correct = 0;
            for (PreferencePair p : snapshot) {
                String truth = better.get(p.getComparisonId());
                if (truth != null) {
                    pairs++;
                    correct += p.getChosenId().equals(truth) ? 1 : 0;
                }
            }
            return new Accuracy(better.size(), pairs, correct);
        }

        /** Label accuracy of the pairs written: the share whose chosen response is truly better. */
        double perPair() {
            return (double) correct / pairs;
        }

        /**
         * Label accuracy over all comparisons, a comparison left without a pair (a tie) counting as a coin flip:
         * the fair comparison between an aggregator that abstains on ties and one that rarely needs to.
         */
        double perComparison() {
            return (correct + 0.5 * (comparisons - pairs)) / comparisons;
        }
    }

    /**
     * Seed 42: 3,000 comparisons, 15,000 judgements (5 per comparison on average) by 20 annotators of {@link #MIX}.
     * Comparisons close on their 5th vote or 10 minutes of event time after their first, so most are decided
     * mid-stream; the model is refitted every 500 votes over a window that holds them all.
     */
    @Test
    void run_dawidSkeneVersusMajorityVote_beatsItAndEstimatesTheFlipRate() throws Exception {
        Produced data = produce(SyntheticFeedbackConfig.builder(42).setComparisons(3_000).setJudgements(15_000)
                .setAnnotators(20).setMix(MIX).build());

        long start = System.nanoTime();
        CurationReport mv = CurationJob.run(streaming(run(data.topic(), "mv").setAggregator("mv")).build(),
                CurationProgressListener.NONE);
        long mvNanos = System.nanoTime() - start;
        CurationJobConfig dsConfig = streaming(run(data.topic(), "ds").setAggregator("ds")).build();
        start = System.nanoTime();
        CurationReport ds = CurationJob.run(dsConfig, CurationProgressListener.NONE);
        long dsNanos = System.nanoTime() - start;

        Accuracy mvAccuracy = Accuracy.of(TestSnapshots.readPairs(mv.snapshotDir()), data.better());
        List<PreferencePair> dsPairs = TestSnapshots.readPairs(ds.snapshotDir());
        Accuracy dsAccuracy = Accuracy.of(dsPairs, data.better());
        Map<String, String> noise = ds.manifest().properties();
        double flipRate = Double.parseDouble(noise.get(LabelNoise.JUDGEMENT_FLIP_RATE));
        System.out.printf("seed 42: MV per comparison %.4f, per pair %.4f (%d pairs, %.1f s); DS per comparison %.4f, "
                        + "per pair %.4f (%d pairs, %.1f s); true wrong-judgement rate %.4f, DS flip rate %.4f, "
                        + "decided error rate %s%n", mvAccuracy.perComparison(), mvAccuracy.perPair(),
                mvAccuracy.pairs(), mvNanos / 1e9, dsAccuracy.perComparison(), dsAccuracy.perPair(),
                dsAccuracy.pairs(), dsNanos / 1e9, data.wrongJudgementRate(), flipRate,
                noise.get(LabelNoise.DECIDED_ERROR_RATE));

        assertThat(mv.counts().reconciles()).isTrue();
        assertThat(ds.counts().reconciles()).isTrue();
        assertThat(ds.eventsIn()).isEqualTo(15_000);
        // Majority vote is the same in every run; Dawid-Skene varies with which model version decides a comparison
        // mid-stream, which depends on timing (seen: 7.0 to 7.6 points per comparison, 5.2 to 5.7 per pair on an idle
        // machine, and 3.1 per pair once beside a CI run, when the estimator's fits fell behind curation).
        assertThat(dsAccuracy.perComparison() - mvAccuracy.perComparison()).isGreaterThanOrEqualTo(0.04);
        assertThat(dsAccuracy.perPair() - mvAccuracy.perPair()).isGreaterThanOrEqualTo(0.025);

        // ε̂ of the final model, fitted on every judgement, against the true share of wrong judgements
        assertThat(noise).containsEntry(LabelNoise.METHOD, "ds").containsEntry(LabelNoise.JUDGEMENTS, "15000");
        assertThat(flipRate).isCloseTo(data.wrongJudgementRate(), within(0.03));
        assertThat(mv.manifest().properties()).containsEntry(LabelNoise.METHOD, "mv");

        // the model decided every comparison: those complete before the first fit reached curation waited for it
        // (before they did, majority vote decided 1% to 32% of the pairs, depending on that race)
        assertThat(dsPairs).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getAggregator()).isEqualTo("model-ds");
            assertThat(p.getModelVersion()).isNotNull();
            assertThat(p.getVoters()).hasSize(p.getSourceEventIds().size())
                    .allSatisfy(v -> assertThat(v.getAccuracy()).isNotNull());
        });

        // the annotators topic: one estimate per annotator per fit; the last fit flags every spammer and adversary
        List<AnnotatorEstimate> estimates = TestTopics.readCommitted(KAFKA.bootstrapServers(),
                dsConfig.annotatorsTopic(), AnnotatorEstimate.class);
        long lastVersion = estimates.stream().mapToLong(AnnotatorEstimate::getModelVersion).max().orElseThrow();
        Map<String, AnnotatorEstimate> last = estimates.stream().filter(e -> e.getModelVersion() == lastVersion)
                .collect(Collectors.toMap(AnnotatorEstimate::getAnnotatorId, e -> e));
        assertThat(last).hasSize(20);
        assertThat(last.values()).allSatisfy(e -> {
            assertThat(e.getMethod()).isEqualTo("ds");
            assertThat(e.getWindowVotes()).isEqualTo(15_000);
            assertThat(e.getEstimates()).containsKey("p(SECOND|FIRST)");
        });
        assertThat(last.values().stream().mapToInt(AnnotatorEstimate::getJudgements).sum()).isEqualTo(15_000);
        for (SimulatedAnnotator a : data.feedback().annotators()) {
            List<String> flags = last.get(a.id()).getFlags();
            switch (a.behaviour()) {
                case SPAMMER -> assertThat(flags).as(a.id()).contains("SPAMMER");
                case ADVERSARIAL -> assertThat(flags).as(a.id()).contains("ADVERSARIAL");
                case ACCURATE -> assertThat(flags).as(a.id()).isEmpty();
                default -> assertThat(flags).as(a.id()).doesNotContain("ADVERSARIAL");
            }
        }
        assertThat(estimates).extracting(AnnotatorEstimate::getModelVersion).contains(1L, lastVersion);
    }

    private static CurationJobConfig.Builder streaming(CurationJobConfig.Builder b) {
        return b.setEmitAfterVotes(5)
                .setComparisonWindow(Duration.ofMinutes(10))
                .setMaxOutOfOrderness(Duration.ofMinutes(1))
                .setEstimatorWindowVotes(20_000)
                .setEstimatorRefitEveryVotes(500)
                .setEstimatorRefitInterval(Duration.ofMinutes(10))
                // every 500 votes, however fast the stream runs. Held to a quarter of its time, the estimator fitted
                // 4-13 models instead of 30 in a 3 s run, and DS lost 0.5 points on average over three seeds, up to
                // 2.8 in a run with 5 models (README): too near this test's 5-point margin over MV
                .setEstimatorMaxTimeShare(1.0);
    }

    /**
     * Seed 7: 1,000 comparisons, 5,000 judgements, with redeliveries and malformed events. No comparison closes before
     * the end of input and the model is never refitted before it either, so the only model is the one fitted when
     * the input ends: every pair must carry it, which it can only if it reached curation before the comparisons
     * were decided. Pairs decided less surely than 0.8 are filtered as ambiguous.
     */
    @Test
    void run_endOfInput_finalModelDecidesEveryOpenComparisonAndAmbiguousPairsAreCounted() throws Exception {
        Produced data = produce(SyntheticFeedbackConfig.builder(7).setComparisons(1_000).setJudgements(5_000)
                .setAnnotators(20).setMix(MIX).setRedeliveryRate(0.02).setMalformedRate(0.01).build());
        CurationJobConfig config = run(data.topic(), "final")
                .setAggregator("ds")
                .setEmitAfterVotes(1_000)
                .setComparisonWindow(Duration.ofDays(365))
                .setEstimatorWindowVotes(100_000)
                .setEstimatorRefitEveryVotes(100_000)
                .setEstimatorRefitInterval(Duration.ofHours(1))
                .setAmbiguityThreshold(0.8)
                .build();

        CurationReport report = CurationJob.run(config, CurationProgressListener.NONE);

        List<PreferencePair> pairs = TestSnapshots.readPairs(report.snapshotDir());
        System.out.printf("seed 7, ambiguity threshold 0.8: %s; %d pairs, per-pair accuracy %.4f%n", report.counts(),
                pairs.size(), Accuracy.of(pairs, data.better()).perPair());
        assertThat(pairs).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getAggregator()).isEqualTo("model-ds");
            assertThat(p.getModelVersion()).isEqualTo(1L);
            assertThat(p.getModelVotes()).isEqualTo(data.validJudgements());
            assertThat(p.getPChosen()).isGreaterThanOrEqualTo(0.8);
            assertThat(p.getVoters()).extracting(Voter::getEventId).containsExactlyElementsOf(p.getSourceEventIds());
        });
        SnapshotManifest.Counts counts = report.counts();
        assertThat(counts.filtered()).containsKeys("ambiguous", "duplicate");
        assertThat(counts.filtered().get("ambiguous")).isGreaterThan(100);
        assertThat(counts.deadLetteredTotal()).isPositive();
        assertThat(counts.reconciles()).isTrue();
        assertThat(counts.eventsIn()).isEqualTo(counts.curatedEvents() + counts.filteredTotal()
                + counts.deadLetteredTotal());
        assertThat(counts.curatedEvents() + counts.filtered().get("ambiguous"))
                .as("every valid, distinct judgement is curated or ambiguous").isEqualTo(data.validJudgements());
        assertThat(report.manifest().properties()).containsEntry(LabelNoise.MODEL_VERSION, "1")
                .containsEntry(LabelNoise.JUDGEMENTS, Integer.toString(data.validJudgements()))
                .containsEntry("curate.ambiguity-threshold", "0.8");
        assertThat(TestTopics.readCommitted(KAFKA.bootstrapServers(), config.annotatorsTopic(),
                AnnotatorEstimate.class)).hasSize(20).allSatisfy(e -> assertThat(e.getModelVersion()).isEqualTo(1));
    }

    /**
     * Unbounded, seed 3: the model is refitted every 100,000 votes or 1 s after the first vote not yet fitted; only
     * the interval can trigger with 400 votes. While waiting for that fit the source goes idle (after 500 ms), which
     * must not move curation's event time: afterwards a comparison still closes by its window once later events move
     * the watermark past it. Comparisons that complete after the fit are decided by the model.
     */
    @Test
    void start_unbounded_refitsOnTheIntervalAndDecidesLaterComparisonsWithTheModel() throws Exception {
        Produced data = produce(SyntheticFeedbackConfig.builder(3).setComparisons(100).setJudgements(400)
                .setAnnotators(20).setMix(MIX).build());
        CurationJobConfig config = run(data.topic(), "live")
                .setBounded(false)
                .setAggregator("ds")
                .setEmitAfterVotes(2)
                .setComparisonWindow(Duration.ofMinutes(10))
                .setMaxOutOfOrderness(Duration.ofMinutes(1))
                .setSourceIdleness(Duration.ofMillis(500))
                .setEstimatorRefitEveryVotes(100_000)
                .setEstimatorRefitInterval(Duration.ofSeconds(1))
                .build();

        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE)) {
            List<AnnotatorEstimate> first = awaitRecords(config.annotatorsTopic(), AnnotatorEstimate.class,
                    estimates -> !estimates.isEmpty());
            assertThat(first).allSatisfy(e -> {
                assertThat(e.getModelVersion()).isEqualTo(1);
                assertThat(e.getWindowVotes()).isBetween(1, 400);
            });

            List<String> annotators = data.feedback().annotators().stream().map(SimulatedAnnotator::id).toList();
            Instant later = Instant.parse("2026-01-02T00:00:00Z");
            KafkaTestTopics.produce(KAFKA.bootstrapServers(), data.topic(), List.of(
                    vote("w-1", "after-window", annotators.get(0), later),
                    vote("m-1", "after-model", annotators.get(0), later.plusSeconds(1)),
                    vote("m-2", "after-model", annotators.get(1), later.plusSeconds(2)),
                    // moves the watermark past after-window's window
                    vote("c-1", "clock", annotators.get(2), later.plus(Duration.ofMinutes(20)))));

            List<PreferencePair> pairs = awaitRecords(config.pairsTopic(), PreferencePair.class, ps -> ps.stream()
                    .map(PreferencePair::getComparisonId).toList().containsAll(List.of("after-model", "after-window")));
            assertThat(pairs).filteredOn(p -> p.getComparisonId().startsWith("after-"))
                    .extracting(PreferencePair::getComparisonId, PreferencePair::getVoteCount,
                            PreferencePair::getAggregator)
                    .containsExactlyInAnyOrder(tuple("after-model", 2, "model-ds"),
                            tuple("after-window", 1, "model-ds"));
            assertThat(pairs).filteredOn(p -> p.getComparisonId().equals("after-model")).singleElement()
                    .satisfies(p -> {
                        assertThat(p.getModelVersion()).isGreaterThanOrEqualTo(1L);
                        assertThat(p.getVoters()).extracting(Voter::getAnnotatorId)
                                .containsExactly(annotators.get(0), annotators.get(1));
                    });
            run.cancel();
        }
    }

    /** An encoded judgement that prefers response a, on the same prompt and responses for every comparison. */
    private static byte[] vote(String eventId, String comparisonId, String annotator, Instant time) {
        FeedbackEvent e = TestEvents.choice(eventId, comparisonId, "how do i bake bread", TestEvents.ab(), "a", time);
        e.setAnnotator(new Annotator(annotator, AnnotatorKind.HUMAN));
        return new AvroCodec<>(FeedbackEvent.class).encode(e);
    }

    /** Polls a topic's committed records until they satisfy {@code done}, for at most 60 s. */
    private static <T extends SpecificRecord> List<T> awaitRecords(String topic,
            Class<T> type, Predicate<List<T>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<T> records = TestTopics.readCommitted(KAFKA.bootstrapServers(), topic, type);
            if (done.test(records)) {
                return records;
            }
            assertThat(System.nanoTime()).as("waiting for records on %s", topic).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
