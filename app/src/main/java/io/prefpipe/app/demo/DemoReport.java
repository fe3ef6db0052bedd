package io.prefpipe.app.demo;

import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a demo run did and measured.
 *
 * @param eventsProduced messages produced to the feedback topics (valid, redelivered and malformed)
 * @param producedByTopic messages produced to each feedback topic: Avro and JSON
 * @param counts the fate of every event the curation job read
 * @param eventsInByTopic events the curation job read from each feedback topic
 * @param snapshotDir the curated snapshot
 * @param aggregator the stream's label aggregator
 * @param labelAccuracy share of curated pairs whose chosen response has the higher true reward (ties count half)
 * @param majorityVoteAccuracy the same share for majority vote over the same judgements, decided in one batch
 * @param majorityVotePairs pairs majority vote decides
 * @param estimatedFlipRate the snapshot's estimate ε̂ of the share of judgements that disagree with the truth, or NaN
 *     when its aggregator records none
 * @param trueFlipRate the share of valid judgements that chose the truly worse response
 * @param sftFinalLoss the warm-up's last per-token negative log-likelihood
 * @param dpoLossStart mean DPO loss over the first steps
 * @param dpoLossEnd mean DPO loss over the last steps
 * @param dpoStepsPerSecond DPO training speed
 * @param referenceMeanReward mean true reward of the reference (warm-up) policy's samples
 * @param policyMeanReward mean true reward of the DPO policy's samples
 * @param winRateBefore true-reward win rate of the reference against itself (fresh samples): the ½ baseline
 * @param winRateAfter true-reward win rate of the DPO policy against the reference
 * @param evalSamples samples per model in the evaluation
 * @param checkpointDir the DPO checkpoint
 * @param stageTimes wall time of each stage, in order
 * @param total wall time of the whole run
 */
public record DemoReport(
        long eventsProduced,
        Map<String, Long> producedByTopic,
        SnapshotManifest.Counts counts,
        Map<String, Long> eventsInByTopic,
        Path snapshotDir,
        String aggregator,
        double labelAccuracy,
        double majorityVoteAccuracy,
        int majorityVotePairs,
        double estimatedFlipRate,
        double trueFlipRate,
        double sftFinalLoss,
        double dpoLossStart,
        double dpoLossEnd,
        double dpoStepsPerSecond,
        double referenceMeanReward,
        double policyMeanReward,
        double winRateBefore,
        double winRateAfter,
        int evalSamples,
        Path checkpointDir,
        Map<String, Duration> stageTimes,
        Duration total) {

    /** Events in = curated + filtered + dead-lettered, and every event produced to each topic was read from it. */
    public boolean reconciles() {
        return counts.reconciles() && counts.eventsIn() == eventsProduced
                && producedByTopic.equals(eventsInByTopic);
    }
}
