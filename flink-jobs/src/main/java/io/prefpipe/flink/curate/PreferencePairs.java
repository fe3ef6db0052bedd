package io.prefpipe.flink.curate;

import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.schema.Voter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the labeling module's curated pairs onto the Avro {@link PreferencePair} that leaves the job. */
public final class PreferencePairs {
    private PreferencePairs() {}

    /**
     * The Avro record of {@code pair}, decided by majority vote.
     *
     * @param events every event of the comparison, by event id; must hold the pair's source events
     */
    public static PreferencePair toAvro(CuratedPair pair, Map<String, FeedbackEvent> events) {
        return toAvro(pair, events, null);
    }

    /**
     * The Avro record of {@code pair}.
     *
     * @param events every event of the comparison, by event id; must hold the pair's source events
     * @param model the annotator model that decided the pair, or {@code null} when majority vote decided it
     */
    static PreferencePair toAvro(CuratedPair pair, Map<String, FeedbackEvent> events, DecidingModel model) {
        if (pair.sourceEventIds().isEmpty()) {
            throw new IllegalArgumentException("pair " + pair.pairId() + " has no source events");
        }
        Instant last = Instant.MIN;
        List<Voter> voters = new ArrayList<>(pair.sourceEventIds().size());
        for (String id : pair.sourceEventIds()) {
            FeedbackEvent e = events.get(id);
            if (e == null) {
                throw new IllegalArgumentException("no event for source event " + id + " of pair " + pair.pairId());
            }
            if (e.getEventTime().isAfter(last)) {
                last = e.getEventTime();
            }
            String annotator = e.getAnnotator().getId();
            voters.add(new Voter(id, annotator, model == null ? null : accuracy(model, annotator)));
        }
        return PreferencePair.newBuilder()
                .setPairId(pair.pairId())
                .setComparisonId(pair.comparison().comparisonId())
                .setPrompt(pair.comparison().prompt())
                .setChosenId(pair.chosen().id())
                .setChosen(pair.chosen().text())
                .setChosenPolicyVersion(pair.chosen().policyVersion())
                .setRejectedId(pair.rejected().id())
                .setRejected(pair.rejected().text())
                .setRejectedPolicyVersion(pair.rejected().policyVersion())
                .setPChosen(pair.pChosen())
                .setVoteCount(pair.voteCount())
                .setAgreement(pair.agreement())
                .setAggregator(pair.aggregator())
                .setSourceEventIds(pair.sourceEventIds())
                .setLastEventTime(last)
                .setVoters(voters)
                .setModelVersion(model == null ? null : model.version())
                .setModelTime(model == null ? null : model.fittedAt())
                .setModelVotes(model == null ? null : model.windowVotes())
                .build();
    }

    private static Double accuracy(DecidingModel model, String annotatorId) {
        double a = model.model().profile(annotatorId).accuracy();
        return Double.isNaN(a) ? null : a;
    }
}
