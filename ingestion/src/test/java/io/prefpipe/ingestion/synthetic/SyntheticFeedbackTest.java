package io.prefpipe.ingestion.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheticFeedbackTest {
    private static final FeedbackValidator VALIDATOR = new FeedbackValidator(ValidationLimits.DEFAULTS,
            Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC));

    private SyntheticFeedback standard;
    private List<FeedbackEvent> events;

    @BeforeAll
    void generate() {
        standard = new SyntheticFeedback(SyntheticFeedbackConfig.builder(42).build());
        events = standard.stream().toList();
    }

    @Test
    void stream_sameSeed_sameEvents() {
        SyntheticFeedbackConfig config = SyntheticFeedbackConfig.builder(7).setComparisons(300).setJudgements(1_000)
                .setRedeliveryRate(0.05).setMalformedRate(0.05).build();
        List<FeedbackEvent> once = new SyntheticFeedback(config).stream().toList();
        assertThat(new SyntheticFeedback(config).stream().toList()).isEqualTo(once);
        SyntheticFeedback feedback = new SyntheticFeedback(config);
        assertThat(feedback.stream().toList()).as("a second pass starts over").isEqualTo(feedback.stream().toList());
        assertThat(new SyntheticFeedback(SyntheticFeedbackConfig.builder(8).setComparisons(300).setJudgements(1_000)
                .build()).stream().toList()).isNotEqualTo(once);
    }

    @Test
    void stream_defaults_giveValidJudgementsOverEveryComparison() {
        assertThat(events).hasSize(20_000);
        assertThat(events).allSatisfy(e -> assertThat(VALIDATOR.validate(e)).isEmpty());
        assertThat(events.stream().map(FeedbackEvent::getEventId).distinct().count()).isEqualTo(20_000);
        Map<String, List<FeedbackEvent>> byComparison = events.stream()
                .collect(Collectors.groupingBy(FeedbackEvent::getComparisonId));
        assertThat(byComparison).hasSize(5_000);
        int max = 0;
        for (List<FeedbackEvent> votes : byComparison.values()) {
            Set<String> annotators = new HashSet<>();
            votes.forEach(v -> assertThat(annotators.add(v.getAnnotator().getId())).isTrue());
            assertThat(votes).extracting(FeedbackEvent::getPrompt).containsOnly(votes.get(0).getPrompt());
            assertThat(votes).extracting(FeedbackEvent::getResponses).containsOnly(votes.get(0).getResponses());
            assertThat(votes.get(0).getResponses().get(0).getText())
                    .isNotEqualTo(votes.get(0).getResponses().get(1).getText());
            max = Math.max(max, votes.size());
        }
        assertThat(max).as("judgements per comparison vary").isBetween(6, 20);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getEventTime()).isAfter(events.get(i - 1).getEventTime());
        }
        assertThat(events.get(0).getEventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        Set<String> heldOut = new HashSet<>(standard.world().heldOutPrompts());
        assertThat(events).noneMatch(e -> heldOut.contains(e.getPrompt()));
    }

    @Test
    void annotators_followTheMixExactly() {
        Map<String, Long> counts = standard.annotators().stream()
                .collect(Collectors.groupingBy(a -> a.behaviour() + "/" + a.kind() + "/" + a.rate(),
                        Collectors.counting()));
        assertThat(counts).containsOnly(Map.entry("ACCURATE/HUMAN/0.0", 9L), Map.entry("ACCURATE/AI_JUDGE/0.0", 2L),
                Map.entry("NOISY/HUMAN/0.15", 2L), Map.entry("NOISY/HUMAN/0.3", 2L),
                Map.entry("POSITION_BIASED/HUMAN/0.7", 2L), Map.entry("SPAMMER/IMPLICIT/0.0", 2L),
                Map.entry("ADVERSARIAL/HUMAN/0.9", 1L));
        assertThat(standard.annotators()).extracting(SimulatedAnnotator::id).startsWith("ann-01").endsWith("ann-20");
        assertThat(events).allSatisfy(e -> assertThat(standard.annotator(e.getAnnotator().getId()).orElseThrow().kind())
                .isEqualTo(e.getAnnotator().getKind()));
        assertThat(events).extracting(e -> e.getAnnotator().getKind()).contains(AnnotatorKind.AI_JUDGE,
                AnnotatorKind.IMPLICIT);
    }

    @Test
    void judgements_eachBehaviourAgreesWithTheTruthAsDeclared() {
        SyntheticWorld world = standard.world();
        Map<AnnotatorBehaviour, double[]> stats = new EnumMap<>(AnnotatorBehaviour.class);
        for (FeedbackEvent e : events) {
            SimulatedAnnotator a = standard.annotator(e.getAnnotator().getId()).orElseThrow();
            String r1 = e.getResponses().get(0).getText();
            String r2 = e.getResponses().get(1).getText();
            double pR1 = world.truePreferenceProbability(e.getPrompt(), r1, r2);
            String preferred = ((PairwiseChoice) e.getJudgement()).getPreferred();
            double[] s = stats.computeIfAbsent(a.behaviour(), b -> new double[4]);
            s[0]++;
            s[1] += (preferred.equals("r1") ? pR1 > 0.5 : pR1 < 0.5) ? 1 : 0; // agrees with the truly better one
            s[2] += preferred.equals(e.getShownOrder().get(0)) ? 1 : 0;       // picked the first shown
            s[3] += Math.max(pR1, 1 - pR1);                                   // what a BT draw would agree
        }
        Map<AnnotatorBehaviour, Double> agreement = new EnumMap<>(AnnotatorBehaviour.class);
        Map<AnnotatorBehaviour, Double> first = new EnumMap<>(AnnotatorBehaviour.class);
        stats.forEach((b, s) -> {
            agreement.put(b, s[1] / s[0]);
            first.put(b, s[2] / s[0]);
        });
        double btAgreement = stats.get(AnnotatorBehaviour.ACCURATE)[3] / stats.get(AnnotatorBehaviour.ACCURATE)[0];

        assertThat(agreement.get(AnnotatorBehaviour.ACCURATE)).isCloseTo(btAgreement, within(0.02)).isGreaterThan(0.7);
        assertThat(agreement.get(AnnotatorBehaviour.SPAMMER)).isCloseTo(0.5, within(0.04));
        assertThat(agreement.get(AnnotatorBehaviour.ACCURATE) - agreement.get(AnnotatorBehaviour.SPAMMER))
                .isGreaterThan(0.2);
        assertThat(agreement.get(AnnotatorBehaviour.NOISY)).isBetween(agreement.get(AnnotatorBehaviour.SPAMMER),
                agreement.get(AnnotatorBehaviour.ACCURATE));
        assertThat(agreement.get(AnnotatorBehaviour.ADVERSARIAL)).isLessThan(0.35);
        assertThat(first.get(AnnotatorBehaviour.POSITION_BIASED)).isCloseTo(0.7 + 0.3 / 2, within(0.03));
        for (AnnotatorBehaviour b : List.of(AnnotatorBehaviour.ACCURATE, AnnotatorBehaviour.NOISY,
                AnnotatorBehaviour.SPAMMER)) {
            assertThat(first.get(b)).as(b.toString()).isCloseTo(0.5, within(0.04));
        }
    }

    @Test
    void stream_injected_redeliveriesCopyAndMalformedFailValidation() {
        SyntheticFeedbackConfig config = SyntheticFeedbackConfig.builder(3).setComparisons(1_000).setJudgements(4_000)
                .setRedeliveryRate(0.05).setMalformedRate(0.03).build();
        Map<String, FeedbackEvent> firstSeen = new HashMap<>();
        int redeliveries = 0;
        Map<String, Integer> malformedReasons = new HashMap<>();
        int valid = 0;
        for (FeedbackEvent e : new SyntheticFeedback(config)) {
            if (e.getEventId().startsWith("bad-")) {
                Violation v = VALIDATOR.validate(e).orElseThrow();
                malformedReasons.merge(v.reason().code(), 1, Integer::sum);
            } else if (firstSeen.containsKey(e.getEventId())) {
                assertThat(e).isEqualTo(firstSeen.get(e.getEventId()));
                redeliveries++;
            } else {
                firstSeen.put(e.getEventId(), e);
                valid++;
            }
        }
        assertThat(valid).isEqualTo(4_000);
        assertThat(redeliveries).isBetween(140, 260);
        assertThat(malformedReasons.values().stream().mapToInt(Integer::intValue).sum()).isBetween(70, 170);
        assertThat(malformedReasons).containsOnlyKeys("unknown_response", "empty_text", "duplicate_response_id",
                "invalid_timestamp", "missing_field");
    }

    @Test
    void iterator_hugeConfiguration_startsAtOnceAndEndsCleanly() {
        Iterator<FeedbackEvent> it = new SyntheticFeedback(SyntheticFeedbackConfig.builder(1).setComparisons(1_000_000)
                .setJudgements(4_000_000).build()).iterator();
        for (int i = 0; i < 1_000; i++) {
            assertThat(it.next().getEventId()).isEqualTo("evt-1-" + i);
        }
        Iterator<FeedbackEvent> small = new SyntheticFeedback(SyntheticFeedbackConfig.builder(1).setComparisons(1)
                .setJudgements(2).build()).iterator();
        small.next();
        small.next();
        assertThat(small.hasNext()).isFalse();
        assertThatThrownBy(small::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void builder_impossibleCounts_areRejectedNamingTheFields() {
        assertThatThrownBy(() -> SyntheticFeedbackConfig.builder(1).setComparisons(10).setJudgements(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("judgements (5)")
                .hasMessageContaining("comparisons (10)");
        assertThatThrownBy(() -> SyntheticFeedbackConfig.builder(1).setComparisons(10).setAnnotators(2)
                .setJudgements(21).build()).hasMessageContaining("comparisons * annotators");
        assertThatThrownBy(() -> SyntheticFeedbackConfig.builder(1).setRedeliveryRate(1.0))
                .hasMessageContaining("redeliveryRate");
    }
}
