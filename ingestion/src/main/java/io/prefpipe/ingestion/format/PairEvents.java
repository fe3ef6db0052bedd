package io.prefpipe.ingestion.format;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the event of a chosen/rejected pair, the shape of the hh-rlhf and trl formats, so that the same prompt and
 * responses always form the same comparison: the comparison id comes from the content, and the responses are listed
 * in text order with ids {@code r1}, {@code r2}. Ids like "chosen"/"rejected" would leak the label, and a second vote
 * on the same pair with the preference reversed would then list different content under the same comparison.
 */
final class PairEvents {
    private PairEvents() {}

    static FeedbackEvent pair(String eventId, String prompt, String chosen, String rejected, Annotator annotator,
            Instant eventTime, Map<String, String> metadata) {
        boolean chosenFirst = chosen.compareTo(rejected) <= 0;
        Response first = Response.newBuilder().setId("r1").setText(chosenFirst ? chosen : rejected).build();
        Response second = Response.newBuilder().setId("r2").setText(chosenFirst ? rejected : chosen).build();
        return FeedbackEvent.newBuilder()
                .setEventId(eventId)
                .setComparisonId(ContentIds.comparisonId(prompt, List.of(chosen, rejected)))
                .setPrompt(prompt)
                .setResponses(List.of(first, second))
                .setJudgement(PairwiseChoice.newBuilder().setPreferred(chosenFirst ? "r1" : "r2").build())
                .setShownOrder(List.of())
                .setAnnotator(annotator)
                .setEventTime(eventTime)
                .setMetadata(metadata)
                .build();
    }
}
