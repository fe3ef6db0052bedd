package io.prefpipe.flink.curate;

import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.schema.PreferencePair;
import java.time.Instant;
import java.util.Map;

/** Maps the labeling module's curated pairs onto the Avro {@link PreferencePair} that leaves the job. */
final class PreferencePairs {
    private PreferencePairs() {}

    /**
     * The Avro record of {@code pair}.
     *
     * @param eventTimes event time of every event of the comparison, by event id; must hold the pair's source events
     */
    static PreferencePair toAvro(CuratedPair pair, Map<String, Instant> eventTimes) {
        Instant last = pair.sourceEventIds().stream()
                .map(id -> {
                    Instant t = eventTimes.get(id);
                    if (t == null) {
                        throw new IllegalArgumentException("no event time for source event " + id + " of pair "
                                + pair.pairId());
                    }
                    return t;
                })
                .max(Instant::compareTo)
                .orElseThrow(() -> new IllegalArgumentException("pair " + pair.pairId() + " has no source events"));
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
                .build();
    }
}
