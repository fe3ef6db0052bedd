package io.prefpipe.ingestion.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ContentFingerprintTest {
    private static FeedbackEvent event() {
        return FeedbackEvent.newBuilder()
                .setEventId("e-1")
                .setComparisonId("c-1")
                .setPrompt("prompt")
                .setResponses(List.of(new Response("a", "answer a", null), new Response("b", "answer b", "v1")))
                .setJudgement(new PairwiseChoice("a", false, 0.8))
                .setShownOrder(List.of("b", "a"))
                .setAnnotator(new Annotator("ann-1", AnnotatorKind.HUMAN))
                .setEventTime(Instant.parse("2026-11-28T10:00:00Z"))
                .setMetadata(Map.of("source_file", "a.jsonl"))
                .build();
    }

    private static long changed(Consumer<FeedbackEvent> change) {
        FeedbackEvent e = event();
        change.accept(e);
        return ContentFingerprint.of(e);
    }

    @Test
    void of_redeliveryWithOtherTimeAndMetadata_isTheSame() {
        long first = ContentFingerprint.of(event());

        assertThat(ContentFingerprint.of(event())).isEqualTo(first);
        assertThat(changed(e -> {
            e.setEventTime(Instant.parse("2027-01-01T00:00:00Z"));
            e.setMetadata(Map.of("source_file", "b.jsonl", "source_line", "9"));
        })).isEqualTo(first);
    }

    @Test
    void of_anyChangeOfWhatIsJudged_differs() {
        long first = ContentFingerprint.of(event());

        assertThat(List.of(
                changed(e -> e.setComparisonId("c-2")),
                changed(e -> e.setPrompt("prompt ")),
                changed(e -> e.setResponses(List.of(new Response("a", "answer a", null),
                        new Response("b", "answer B", "v1")))),
                changed(e -> e.setResponses(List.of(new Response("a", "answer a", null),
                        new Response("b", "answer b", null)))),
                changed(e -> e.setJudgement(new PairwiseChoice("b", false, 0.8))),
                changed(e -> e.setJudgement(new PairwiseChoice("a", false, null))),
                changed(e -> e.setJudgement(new PairwiseChoice(null, true, null))),
                changed(e -> e.setJudgement(new Ranking(List.of("a", "b")))),
                changed(e -> e.setShownOrder(List.of("a", "b"))),
                changed(e -> e.setAnnotator(new Annotator("ann-2", AnnotatorKind.HUMAN))),
                changed(e -> e.setAnnotator(new Annotator("ann-1", AnnotatorKind.AI_JUDGE)))))
                .doesNotContain(first)
                .doesNotHaveDuplicates();
    }

    @Test
    void of_everyCharOfATextCounts_wherever_itIs() {
        // texts of every length around the 8- and 16-byte steps, each changed at every position, some to non-ASCII
        List<Long> fingerprints = new ArrayList<>();
        for (int length = 1; length <= 40; length++) {
            String text = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".substring(0, length);
            fingerprints.add(changed(e -> e.setPrompt(text)));
            for (int at = 0; at < length; at++) {
                for (char c : new char[] {'#', 'é', '中'}) {
                    String edited = text.substring(0, at) + c + text.substring(at + 1);
                    fingerprints.add(changed(e -> e.setPrompt(edited)));
                }
            }
        }
        assertThat(fingerprints).doesNotHaveDuplicates();
    }

    @Test
    void of_stringBoundariesCount() {
        // the same characters split differently between fields are different content
        assertThat(changed(e -> {
            e.setComparisonId("c-1p");
            e.setPrompt("rompt");
        })).isNotEqualTo(ContentFingerprint.of(event()));
    }

    @Test
    void of_ratingsInAnyMapOrder_isTheSame() {
        Map<String, Double> ab = new LinkedHashMap<>();
        ab.put("a", 1.0);
        ab.put("b", 2.0);
        Map<String, Double> ba = new LinkedHashMap<>();
        ba.put("b", 2.0);
        ba.put("a", 1.0);

        assertThat(changed(e -> e.setJudgement(new Ratings(ab))))
                .isEqualTo(changed(e -> e.setJudgement(new Ratings(ba))))
                .isNotEqualTo(changed(e -> e.setJudgement(new Ratings(Map.of("a", 1.0, "b", 3.0)))));
    }
}
