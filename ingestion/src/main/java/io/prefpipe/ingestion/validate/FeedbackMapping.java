package io.prefpipe.ingestion.validate;

import io.prefpipe.labeling.curate.Comparison;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.ResponseText;
import io.prefpipe.labeling.pairwise.AnnotatedJudgement;
import io.prefpipe.labeling.pairwise.Judgement;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Maps valid Avro feedback events onto the labeling module's plain types. */
public final class FeedbackMapping {
    private FeedbackMapping() {}

    /**
     * The judgement in {@code event} together with the content it judged.
     *
     * @param event an event that passed {@link FeedbackValidator}
     * @throws IllegalArgumentException if the event is not valid
     */
    public static ComparisonCurator.Observed toObserved(FeedbackEvent event) {
        List<ResponseText> responses = new ArrayList<>(event.getResponses().size());
        List<String> ids = new ArrayList<>(event.getResponses().size());
        for (Response r : event.getResponses()) {
            responses.add(new ResponseText(r.getId(), r.getText(), r.getPolicyVersion()));
            ids.add(r.getId());
        }
        Comparison content = new Comparison(event.getComparisonId(), event.getPrompt(), responses);
        AnnotatedJudgement judgement = new AnnotatedJudgement(event.getEventId(), event.getAnnotator().getId(), ids,
                judgement(event.getJudgement()), event.getShownOrder());
        return new ComparisonCurator.Observed(content, judgement);
    }

    private static Judgement judgement(Object j) {
        if (j instanceof PairwiseChoice c) {
            OptionalDouble strength = c.getStrength() == null ? OptionalDouble.empty() : OptionalDouble.of(c.getStrength());
            return new Judgement.Choice(c.getPreferred(), c.getTie(), strength);
        }
        if (j instanceof Ranking r) {
            return new Judgement.Ranking(r.getOrder());
        }
        if (j instanceof Ratings r) {
            return new Judgement.Ratings(r.getScores());
        }
        throw new IllegalArgumentException("judgement of type " + (j == null ? "null" : j.getClass().getName())
                + " is not a PairwiseChoice, Ranking or Ratings");
    }
}
