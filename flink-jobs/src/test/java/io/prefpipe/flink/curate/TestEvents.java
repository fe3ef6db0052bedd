package io.prefpipe.flink.curate;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders of feedback events for tests. */
final class TestEvents {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private TestEvents() {}

    /** Responses a and b with distinct texts. */
    static List<Response> ab() {
        return responses(Map.of("a", "Paris is the capital.", "b", "Lyon is the capital."));
    }

    /** Responses a, b and c with distinct texts. */
    static List<Response> abc() {
        return responses(Map.of("a", "Answer A", "b", "Answer B", "c", "Answer C"));
    }

    static List<Response> responses(Map<String, String> textById) {
        List<Response> out = new ArrayList<>();
        textById.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(Response.newBuilder()
                .setId(e.getKey()).setText(e.getValue()).setPolicyVersion("policy-" + e.getKey()).build()));
        return out;
    }

    /** A pairwise choice of {@code preferred}, or a tie when it is null. */
    static FeedbackEvent choice(String eventId, String comparisonId, String prompt, List<Response> responses,
            String preferred, Instant time) {
        PairwiseChoice choice = PairwiseChoice.newBuilder().setPreferred(preferred).setTie(preferred == null).build();
        return event(eventId, comparisonId, prompt, responses, choice, time);
    }

    static FeedbackEvent ranking(String eventId, String comparisonId, String prompt, List<Response> responses,
            List<String> order, Instant time) {
        return event(eventId, comparisonId, prompt, responses, Ranking.newBuilder().setOrder(order).build(), time);
    }

    private static FeedbackEvent event(String eventId, String comparisonId, String prompt, List<Response> responses,
            Object judgement, Instant time) {
        return FeedbackEvent.newBuilder()
                .setEventId(eventId)
                .setComparisonId(comparisonId)
                .setPrompt(prompt)
                .setResponses(responses)
                .setJudgement(judgement)
                .setAnnotator(Annotator.newBuilder().setId("annotator-" + eventId).setKind(AnnotatorKind.HUMAN).build())
                .setEventTime(time)
                .build();
    }
}
