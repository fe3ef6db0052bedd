package io.prefpipe.app.demo;

import io.prefpipe.app.eval.TrueRewardEvaluation;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.labeling.aggregate.MajorityVote;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.labeling.curate.ResponseText;
import io.prefpipe.labeling.pairwise.Judgement;
import io.prefpipe.schema.FeedbackEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Majority vote over the same judgements the stream curated, decided in one batch: the baseline the configured
 * aggregator's label accuracy is compared with.
 */
final class MajorityVoteBaseline {
    private final SyntheticWorld world;
    private final FeedbackValidator validator;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, List<ComparisonCurator.Observed>> byComparison = new LinkedHashMap<>();

    MajorityVoteBaseline(SyntheticWorld world, FeedbackValidator validator) {
        this.world = world;
        this.validator = validator;
    }

    /** Takes one event as the stream would: duplicates and invalid events do not vote. */
    void accept(FeedbackEvent event) {
        if (!seen.add(event.getEventId()) || validator.validate(event).isPresent()) {
            return;
        }
        byComparison.computeIfAbsent(event.getComparisonId(), c -> new ArrayList<>())
                .add(FeedbackMapping.toObserved(event));
    }

    /**
     * The pairs majority vote decides, the share of them whose chosen response has the higher true reward, and the
     * true rate of wrong judgements: the share of valid judgements that chose the response with the lower true reward.
     */
    Result result() {
        ComparisonCurator curator = new ComparisonCurator(new MajorityVote());
        int pairs = 0;
        double correct = 0;
        long judgements = 0;
        long wrong = 0;
        for (List<ComparisonCurator.Observed> votes : byComparison.values()) {
            for (ComparisonCurator.Observed o : votes) {
                if (o.judgement().judgement() instanceof Judgement.Choice c && !c.tie()) {
                    String prompt = o.content().prompt();
                    String chosen = o.content().response(c.preferred()).orElseThrow().text();
                    for (ResponseText other : o.content().responses()) {
                        if (!other.id().equals(c.preferred())) {
                            judgements++;
                            wrong += world.reward(prompt, chosen) < world.reward(prompt, other.text()) ? 1 : 0;
                        }
                    }
                }
            }
            for (CuratedPair p : curator.curate(votes).pairs()) {
                correct += TrueRewardEvaluation.credit(world, p.comparison().prompt(), p.chosen().text(),
                        p.rejected().text());
                pairs++;
            }
        }
        return new Result(pairs, pairs == 0 ? Double.NaN : correct / pairs,
                judgements == 0 ? Double.NaN : (double) wrong / judgements);
    }

    /**
     * @param pairs pairs majority vote decides
     * @param accuracy share of them that agree with the true preference (equal true rewards count half)
     * @param trueFlipRate share of valid pairwise judgements that chose the truly worse response
     */
    record Result(int pairs, double accuracy, double trueFlipRate) {}
}
