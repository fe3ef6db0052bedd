package io.prefpipe.app.monitor;

import io.prefpipe.app.monitor.MonitorSnapshot.AnnotatorPoint;
import io.prefpipe.app.monitor.MonitorSnapshot.AnnotatorRow;
import io.prefpipe.app.monitor.MonitorSnapshot.CheckpointRow;
import io.prefpipe.app.monitor.MonitorSnapshot.CurationCounts;
import io.prefpipe.app.monitor.MonitorSnapshot.Histogram;
import io.prefpipe.app.monitor.MonitorSnapshot.NoisePoint;
import io.prefpipe.app.monitor.MonitorSnapshot.PairDistributions;
import io.prefpipe.app.monitor.MonitorSnapshot.Sample;
import io.prefpipe.app.monitor.MonitorSnapshot.SnapshotSummary;
import io.prefpipe.app.monitor.MonitorSnapshot.Stages;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running aggregates behind a {@link MonitorSnapshot}: fed record by record from prefpipe's topics and manifests,
 * bounded in memory (time series, annotator histories and fits keep the newest {@code historyPoints}). Not
 * thread-safe; {@link PipelineMonitor} guards it.
 */
final class MonitorState {
    private static final double[] P_CHOSEN_EDGES = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
    private static final double[] AGREEMENT_EDGES = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    private static final double[] VOTE_EDGES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final double[] CHAR_EDGES = {0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    private final int historyPoints;

    private final Deque<Sample> throughput = new ArrayDeque<>();
    private Map<String, Long> feedbackByTopic = Map.of();
    private Long consumerLag;

    private long deadLetters;
    private final Map<String, Long> deadLettersByReason = new HashMap<>();

    private long pairs;
    private final Bins pChosen = new Bins(P_CHOSEN_EDGES);
    private final Bins agreement = new Bins(AGREEMENT_EDGES);
    private final Bins votes = new Bins(VOTE_EDGES);
    private final Bins chosenChars = new Bins(CHAR_EDGES);
    private final Bins rejectedChars = new Bins(CHAR_EDGES);
    private long chosenLonger;
    private double agreementSum;
    private final Map<String, Long> byAggregator = new HashMap<>();

    private long annotatorEstimates;
    private final Map<String, Deque<AnnotatorPoint>> annotatorHistory = new HashMap<>();
    private final Map<String, AnnotatorEstimate> latestEstimate = new HashMap<>();
    /** One entry per fit, keyed by version and fit time: a restarted job counts its versions from 1 again. */
    private final LinkedHashMap<FitKey, Fit> fits = new LinkedHashMap<>();

    private final List<CheckpointRow> checkpoints = new ArrayList<>();

    private CurationCounts jobCounts;
    private final Map<String, SnapshotManifest> manifests = new HashMap<>();

    MonitorState(int historyPoints) {
        this.historyPoints = historyPoints;
    }

    private record FitKey(long version, long timeMillis) {}

    /** What one fit of the annotator model implies about label noise, summed over the records read so far. */
    private static final class Fit {
        final String method;
        long judgements;
        long judgementsWithAccuracy;
        double wrongJudgements;
        long decidedPairs;
        double decidedErrors;

        Fit(String method) {
            this.method = method;
        }
    }

    void deadLetter(DeadLetter d) {
        deadLetters++;
        deadLettersByReason.merge(d.getReason(), 1L, Long::sum);
    }

    void pair(PreferencePair p) {
        pairs++;
        pChosen.add(p.getPChosen());
        agreement.add(p.getAgreement());
        agreementSum += p.getAgreement();
        votes.add(p.getVoteCount());
        chosenChars.add(p.getChosen().length());
        rejectedChars.add(p.getRejected().length());
        if (p.getChosen().length() > p.getRejected().length()) {
            chosenLonger++;
        }
        byAggregator.merge(p.getAggregator(), 1L, Long::sum);
        if (p.getModelVersion() != null && p.getModelTime() != null) {
            Fit fit = fits.computeIfAbsent(new FitKey(p.getModelVersion(), p.getModelTime().toEpochMilli()),
                    k -> new Fit(p.getAggregator().replaceFirst("^model-", "")));
            fit.decidedPairs++;
            fit.decidedErrors += 1 - p.getPChosen();
            trimFits();
        }
    }

    void annotator(AnnotatorEstimate e) {
        annotatorEstimates++;
        long time = e.getModelTime().toEpochMilli();
        Deque<AnnotatorPoint> history = annotatorHistory.computeIfAbsent(e.getAnnotatorId(), k -> new ArrayDeque<>());
        history.addLast(new AnnotatorPoint(e.getModelVersion(), time, e.getAccuracy(), e.getInformativeness(),
                e.getPFirstShown(), e.getFlags()));
        while (history.size() > historyPoints) {
            history.removeFirst();
        }
        latestEstimate.put(e.getAnnotatorId(), e);
        Fit fit = fits.computeIfAbsent(new FitKey(e.getModelVersion(), time), k -> new Fit(e.getMethod()));
        fit.judgements += e.getJudgements();
        if (e.getAccuracy() != null) {
            fit.judgementsWithAccuracy += e.getJudgements();
            fit.wrongJudgements += e.getJudgements() * (1 - e.getAccuracy());
        }
        trimFits();
    }

    void checkpoint(CheckpointEvent c) {
        checkpoints.add(new CheckpointRow(c.getCheckpointId(), c.getParentCheckpointId(), c.getSnapshotId(),
                c.getLoss(), c.getCreatedTime().toEpochMilli(), c.getMetrics(), c.getPath()));
        if (checkpoints.size() > historyPoints) {
            checkpoints.remove(0);
        }
    }

    void curationCounts(CurationCounts counts) {
        jobCounts = counts;
    }

    void manifest(String path, SnapshotManifest manifest) {
        manifests.put(path, manifest);
    }

    /** Adds a point to the throughput series with the offsets and lag just read. */
    void sample(long timeMillis, Map<String, Long> feedbackByTopic, Long consumerLag) {
        this.feedbackByTopic = Map.copyOf(feedbackByTopic);
        this.consumerLag = consumerLag;
        long events = total(feedbackByTopic);
        Double rate = null;
        Sample previous = throughput.peekLast();
        if (previous != null && timeMillis > previous.timeMillis()) {
            rate = (events - previous.feedbackEvents()) * 1000.0 / (timeMillis - previous.timeMillis());
        }
        throughput.addLast(new Sample(timeMillis, events, rate, consumerLag,
                jobCounts == null ? null : jobCounts.eventsIn(), deadLetters, pairs));
        while (throughput.size() > historyPoints) {
            throughput.removeFirst();
        }
    }

    MonitorSnapshot snapshot(long nowMillis) {
        List<SnapshotSummary> summaries = manifests.values().stream()
                .sorted(Comparator.comparing(SnapshotManifest::createdTime))
                .map(MonitorState::summary)
                .toList();
        return new MonitorSnapshot(nowMillis,
                new Stages(total(feedbackByTopic), feedbackByTopic, consumerLag, deadLetters, pairs,
                        annotatorEstimates, checkpoints.size()),
                List.copyOf(throughput), deadLettersByReason, curation(), summaries, annotators(), labelNoise(),
                new PairDistributions(pairs, pChosen.histogram(), agreement.histogram(), votes.histogram(),
                        chosenChars.histogram(), rejectedChars.histogram(),
                        pairs == 0 ? null : (double) chosenLonger / pairs,
                        pairs == 0 ? null : agreementSum / pairs, byAggregator),
                checkpoints);
    }

    /** The job's own counts when one runs here, else the newest manifest's. */
    private CurationCounts curation() {
        if (jobCounts != null) {
            return jobCounts;
        }
        return manifests.values().stream().max(Comparator.comparing(SnapshotManifest::createdTime))
                .map(m -> new CurationCounts("manifest " + m.snapshotId(), m.createdTime().toEpochMilli(),
                        m.counts().eventsIn(), m.counts().curatedEvents(), m.counts().pairs(), m.counts().filtered(),
                        m.counts().deadLettered()))
                .orElse(null);
    }

    private List<AnnotatorRow> annotators() {
        Map<String, AnnotatorRow> rows = new TreeMap<>();
        latestEstimate.forEach((id, e) -> {
            Deque<AnnotatorPoint> history = annotatorHistory.get(id);
            Double first = history.getFirst().accuracy();
            Double drift = first == null || e.getAccuracy() == null ? null : e.getAccuracy() - first;
            rows.put(id, new AnnotatorRow(id, e.getMethod(), e.getAccuracy(), e.getInformativeness(),
                    e.getPFirstShown(), e.getFlags(), e.getJudgements(), e.getModelVersion(), e.getEstimates(), drift,
                    List.copyOf(history)));
        });
        return List.copyOf(rows.values());
    }

    private List<NoisePoint> labelNoise() {
        List<NoisePoint> points = new ArrayList<>(fits.size());
        fits.forEach((key, fit) -> points.add(new NoisePoint(key.version(), key.timeMillis(), fit.method,
                fit.judgementsWithAccuracy == 0 ? null : fit.wrongJudgements / fit.judgementsWithAccuracy,
                fit.judgements, fit.decidedPairs == 0 ? null : fit.decidedErrors / fit.decidedPairs,
                fit.decidedPairs)));
        points.sort(Comparator.comparingLong(NoisePoint::timeMillis).thenComparingLong(NoisePoint::modelVersion));
        return points;
    }

    private void trimFits() {
        while (fits.size() > historyPoints) {
            FitKey oldest = fits.keySet().stream()
                    .min(Comparator.comparingLong(FitKey::timeMillis).thenComparingLong(FitKey::version))
                    .orElseThrow();
            fits.remove(oldest);
        }
    }

    private static SnapshotSummary summary(SnapshotManifest m) {
        return new SnapshotSummary(m.snapshotId(), m.createdTime().toEpochMilli(), m.aggregator(), m.counts().pairs(),
                rate(m.properties().get("label_noise.judgement_flip_rate")),
                rate(m.properties().get("label_noise.decided_error_rate")));
    }

    private static Double rate(String value) {
        if (value == null) {
            return null;
        }
        double v = Double.parseDouble(value);
        return Double.isFinite(v) ? v : null;
    }

    private static long total(Map<String, Long> byTopic) {
        return byTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts over fixed bins; values outside the edges count in the first or last bin. */
    private static final class Bins {
        private final double[] edges;
        private final long[] counts;

        Bins(double[] edges) {
            this.edges = edges;
            this.counts = new long[edges.length - 1];
        }

        void add(double value) {
            int bin = 0;
            while (bin < counts.length - 1 && value >= edges[bin + 1]) {
                bin++;
            }
            counts[bin]++;
        }

        Histogram histogram() {
            List<Double> e = new ArrayList<>(edges.length);
            for (double d : edges) {
                e.add(d);
            }
            List<Long> c = new ArrayList<>(counts.length);
            for (long n : counts) {
                c.add(n);
            }
            return new Histogram(e, c);
        }
    }
}
