package io.prefpipe.labeling.pairwise;

import java.util.List;
import java.util.Objects;

/**
 * One judgement by one annotator, reduced to what aggregation needs.
 *
 * @param eventId the id of the feedback event it came from
 * @param annotatorId who judged
 * @param responseIds the ids of the responses judged
 * @param judgement what was said
 * @param shownOrder response ids in display order, or empty when unknown
 */
public record AnnotatedJudgement(
        String eventId, String annotatorId, List<String> responseIds, Judgement judgement, List<String> shownOrder) {
    public AnnotatedJudgement {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(annotatorId, "annotatorId");
        Objects.requireNonNull(judgement, "judgement");
        responseIds = List.copyOf(responseIds);
        shownOrder = List.copyOf(shownOrder);
        if (responseIds.size() < 2) {
            throw new IllegalArgumentException("responseIds needs at least 2 ids, got " + responseIds);
        }
    }
}
