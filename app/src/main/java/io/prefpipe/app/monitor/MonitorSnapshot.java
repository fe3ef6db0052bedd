package io.prefpipe.app.monitor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a {@link PipelineMonitor} knows at one moment; immutable, and what the dashboard's JSON endpoint and
 * {@code /metrics} both render, so the two always show the same figures. Times are epoch milliseconds; a figure that is
 * not known is null, never NaN.
 *
 * @param timeMillis when the snapshot was taken
 * @param stages counts of what reached each stage
 * @param throughput time series of those counts, the ingest rate and the consumer lag, oldest first
 * @param deadLettersByReason dead letters on the topic by reason code
 * @param curation the curation job's own counts (filters by reason included): from the job running in this process,
 *     else from the newest snapshot manifest; null when neither is known
 * @param snapshots the snapshot manifests read, oldest first
 * @param annotators each annotator as the newest fit of the annotator model sees them, with their history, by id
 * @param labelNoise ε̂ per fit of the annotator model, oldest first
 * @param pairs distributions over the curated pairs
 * @param checkpoints checkpoint events in the order they were published
 */
public record MonitorSnapshot(long timeMillis, Stages stages, List<Sample> throughput,
        Map<String, Long> deadLettersByReason, CurationCounts curation, List<SnapshotSummary> snapshots,
        List<AnnotatorRow> annotators, List<NoisePoint> labelNoise, PairDistributions pairs,
        List<CheckpointRow> checkpoints) {

    public MonitorSnapshot {
        throughput = List.copyOf(throughput);
        deadLettersByReason = sorted(deadLettersByReason);
        snapshots = List.copyOf(snapshots);
        annotators = List.copyOf(annotators);
        labelNoise = List.copyOf(labelNoise);
        checkpoints = List.copyOf(checkpoints);
    }

    /** The newest ε̂, or null before the first fit. */
    public NoisePoint latestLabelNoise() {
        return labelNoise.isEmpty() ? null : labelNoise.get(labelNoise.size() - 1);
    }

    static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /**
     * Counts at each stage of the pipeline.
     *
     * @param feedbackEvents messages on the feedback topics (their end offsets; with transactions, markers included)
     * @param feedbackByTopic the same per topic
     * @param consumerLag messages on the feedback topics the curation group has not committed yet; null when the group
     *     has committed nothing
     * @param deadLetters dead letters on their topic
     * @param pairs curated pairs on their topic
     * @param annotatorEstimates annotator estimates on their topic
     * @param checkpoints checkpoint events on their topic
     */
    public record Stages(long feedbackEvents, Map<String, Long> feedbackByTopic, Long consumerLag, long deadLetters,
            long pairs, long annotatorEstimates, long checkpoints) {
        public Stages {
            feedbackByTopic = sorted(feedbackByTopic);
        }
    }

    /**
     * One point of the throughput time series.
     *
     * @param timeMillis when it was taken
     * @param feedbackEvents as in {@link Stages}
     * @param eventsPerSecond growth of {@code feedbackEvents} since the previous point, per second; null for the first
     * @param consumerLag as in {@link Stages}
     * @param curationEventsIn events the curation job running in this process has read; null when none runs here
     * @param deadLetters as in {@link Stages}
     * @param pairs as in {@link Stages}
     */
    public record Sample(long timeMillis, long feedbackEvents, Double eventsPerSecond, Long consumerLag,
            Long curationEventsIn, long deadLetters, long pairs) {}

    /**
     * The fate of every event the curation job read.
     *
     * @param source where the counts come from: {@code job} (running in this process) or {@code manifest <id>}
     * @param timeMillis when they were counted
     * @param eventsIn events read
     * @param curatedEvents events that voted on a curated pair
     * @param pairs pairs written
     * @param filtered valid events not curated, by reason
     * @param deadLettered invalid events, by reason
     */
    public record CurationCounts(String source, long timeMillis, long eventsIn, long curatedEvents, long pairs,
            Map<String, Long> filtered, Map<String, Long> deadLettered) {
        public CurationCounts {
            filtered = sorted(filtered);
            deadLettered = sorted(deadLettered);
        }
    }

    /**
     * One snapshot manifest.
     *
     * @param snapshotId the snapshot
     * @param createdMillis when it was cut
     * @param aggregator the aggregator that decided its pairs
     * @param pairs pairs in it
     * @param judgementFlipRate its {@code label_noise.judgement_flip_rate}; null when absent
     * @param decidedErrorRate its {@code label_noise.decided_error_rate}; null when absent
     */
    public record SnapshotSummary(String snapshotId, long createdMillis, String aggregator, long pairs,
            Double judgementFlipRate, Double decidedErrorRate) {}

    /**
     * One annotator.
     *
     * @param annotatorId the annotator
     * @param method the method of the newest fit that saw them
     * @param accuracy estimated accuracy in that fit
     * @param informativeness estimated informativeness (0 for a spammer), when the method models it
     * @param pFirstShown estimated P(picks the response shown first), when the method models display order
     * @param flags flags earned in that fit: SPAMMER, ADVERSARIAL, POSITION_BIASED
     * @param judgements their votes in that fit's window
     * @param modelVersion that fit's version
     * @param estimates the method's own parameters of them in that fit, e.g. GLAD's ability or p(SECOND|FIRST)
     * @param accuracyDrift accuracy in the newest fit minus accuracy in the first fit that saw them; null when either is
     *     unknown
     * @param history their estimate in every fit that saw them, oldest first
     */
    public record AnnotatorRow(String annotatorId, String method, Double accuracy, Double informativeness,
            Double pFirstShown, List<String> flags, int judgements, long modelVersion, Map<String, Double> estimates,
            Double accuracyDrift, List<AnnotatorPoint> history) {
        public AnnotatorRow {
            flags = List.copyOf(flags);
            estimates = sorted(estimates);
            history = List.copyOf(history);
        }
    }

    /** One annotator in one fit of the annotator model. */
    public record AnnotatorPoint(long modelVersion, long timeMillis, Double accuracy, Double informativeness,
            Double pFirstShown, List<String> flags) {
        public AnnotatorPoint {
            flags = List.copyOf(flags);
        }
    }

    /**
     * The label noise one fit of the annotator model implies.
     *
     * @param modelVersion the fit
     * @param timeMillis when it was fitted
     * @param method its method
     * @param judgementFlipRate ε̂ per judgement: the judgement-weighted mean of 1 − accuracy over the annotators of the
     *     fit; null when no annotator of the fit has a known accuracy
     * @param judgements the votes it was fitted on
     * @param decidedErrorRate ε̂ per decided label: the mean of 1 − p_chosen over the pairs this fit decided; null
     *     before the first such pair is read
     * @param decidedPairs the pairs this fit decided
     */
    public record NoisePoint(long modelVersion, long timeMillis, String method, Double judgementFlipRate,
            long judgements, Double decidedErrorRate, long decidedPairs) {}

    /**
     * A histogram over fixed bins.
     *
     * @param edges bin {@code i} holds values in {@code [edges[i], edges[i+1])}, the last bin also its upper edge
     * @param counts one count per bin
     */
    public record Histogram(List<Double> edges, List<Long> counts) {
        public Histogram {
            edges = List.copyOf(edges);
            counts = List.copyOf(counts);
            if (edges.size() != counts.size() + 1) {
                throw new IllegalArgumentException(edges.size() + " edges do not bound " + counts.size() + " bins");
            }
        }

        public long total() {
            return counts.stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * What the curated pairs look like.
     *
     * @param pairs pairs read
     * @param pChosen the soft label: the aggregator's posterior that chosen beats rejected
     * @param agreement share of a pair's votes that agree with its label
     * @param votes votes per pair
     * @param chosenChars length of the chosen response in chars
     * @param rejectedChars length of the rejected response in chars
     * @param chosenLongerShare share of pairs whose chosen response is longer than the rejected one (a length bias shows
     *     here); null before the first pair
     * @param meanAgreement mean agreement; null before the first pair
     * @param byAggregator pairs by the aggregator that decided them ({@code mv}, {@code model-ds}, ...)
     */
    public record PairDistributions(long pairs, Histogram pChosen, Histogram agreement, Histogram votes,
            Histogram chosenChars, Histogram rejectedChars, Double chosenLongerShare, Double meanAgreement,
            Map<String, Long> byAggregator) {
        public PairDistributions {
            byAggregator = sorted(byAggregator);
        }
    }

    /**
     * One checkpoint event: lineage and metrics of one training iteration.
     *
     * @param checkpointId the checkpoint
     * @param parentCheckpointId the checkpoint it was trained from; null for the first
     * @param snapshotId the snapshot it was trained on
     * @param loss the loss it was trained with
     * @param createdMillis when it was written
     * @param metrics its metrics by name (e.g. loss, reward accuracy, margin, KL, true-reward win rate)
     * @param path where it was written
     */
    public record CheckpointRow(String checkpointId, String parentCheckpointId, String snapshotId, String loss,
            long createdMillis, Map<String, Double> metrics, String path) {
        public CheckpointRow {
            metrics = sorted(metrics);
        }
    }
}
