package io.prefpipe.app.monitor;

import io.prefpipe.app.monitor.MonitorSnapshot.AnnotatorRow;
import io.prefpipe.app.monitor.MonitorSnapshot.CheckpointRow;
import io.prefpipe.app.monitor.MonitorSnapshot.CurationCounts;
import io.prefpipe.app.monitor.MonitorSnapshot.Histogram;
import io.prefpipe.app.monitor.MonitorSnapshot.NoisePoint;
import io.prefpipe.app.monitor.MonitorSnapshot.PairDistributions;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The figures of a {@link PipelineMonitor} as Prometheus metrics, in a registry of their own. Every metric reads the
 * one {@link MonitorSnapshot} taken per scrape, so a scrape is consistent and shows what the dashboard shows. Names
 * start with {@code prefpipe_}; {@code deploy/grafana/prefpipe.json} queries them.
 *
 * <p>Thread-safe: scrapes are serialized.
 */
public final class PipelineMetrics {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final PipelineMonitor monitor;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** The snapshot the current scrape reads; set and read under this object's lock. */
    private MonitorSnapshot current;

    public PipelineMetrics(PipelineMonitor monitor) {
        this.monitor = monitor;
        register();
    }

    /** The content type of {@link #scrape()}: the Prometheus text format. */
    public String contentType() {
        return TEXT.getContentType();
    }

    /** Every metric in the Prometheus text format. */
    public synchronized String scrape() {
        current = monitor.snapshot();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            TEXT.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        } finally {
            current = null;
        }
    }

    private void register() {
        counter("prefpipe_feedback_events", "Messages on the feedback topics (end offsets).", new String[] {"topic"},
                (s, cb) -> s.stages().feedbackByTopic().forEach((t, n) -> cb.call(n, t)));
        gauge("prefpipe_feedback_events_per_second", "Growth of the feedback topics per second, last refresh.",
                new String[0], (s, cb) -> {
                    if (!s.throughput().isEmpty()) {
                        Double rate = s.throughput().get(s.throughput().size() - 1).eventsPerSecond();
                        if (rate != null) {
                            cb.call(rate);
                        }
                    }
                });
        gauge("prefpipe_consumer_lag", "Feedback messages the curation group has not committed.",
                new String[] {"group"}, (s, cb) -> {
                    if (s.stages().consumerLag() != null) {
                        cb.call(s.stages().consumerLag(), monitor.config().curationGroupId());
                    }
                });
        counter("prefpipe_dead_letters", "Dead letters on the dead-letter topic, by reason.", new String[] {"reason"},
                (s, cb) -> s.deadLettersByReason().forEach((r, n) -> cb.call(n, r)));
        counter("prefpipe_curated_pairs", "Curated pairs on the pairs topic.", new String[0],
                (s, cb) -> cb.call(s.stages().pairs()));
        counter("prefpipe_annotator_estimates", "Annotator estimates on the annotators topic.", new String[0],
                (s, cb) -> cb.call(s.stages().annotatorEstimates()));
        counter("prefpipe_checkpoints", "Checkpoint events on the checkpoints topic.", new String[0],
                (s, cb) -> cb.call(s.stages().checkpoints()));

        gauge("prefpipe_curation_events", "Events the curation job read, by fate (job in this process, else the "
                + "newest snapshot manifest).", new String[] {"fate"}, (s, cb) -> {
                    CurationCounts c = s.curation();
                    if (c != null) {
                        cb.call(c.eventsIn(), "in");
                        cb.call(c.curatedEvents(), "curated");
                        cb.call(c.filtered().values().stream().mapToLong(Long::longValue).sum(), "filtered");
                        cb.call(c.deadLettered().values().stream().mapToLong(Long::longValue).sum(), "dead_lettered");
                    }
                });
        gauge("prefpipe_curation_filtered_events", "Valid events the curation job did not curate, by reason.",
                new String[] {"reason"}, (s, cb) -> {
                    if (s.curation() != null) {
                        s.curation().filtered().forEach((r, n) -> cb.call(n, r));
                    }
                });
        gauge("prefpipe_curation_dead_lettered_events", "Invalid events the curation job dead-lettered, by reason.",
                new String[] {"reason"}, (s, cb) -> {
                    if (s.curation() != null) {
                        s.curation().deadLettered().forEach((r, n) -> cb.call(n, r));
                    }
                });

        annotatorGauge("prefpipe_annotator_accuracy", "Estimated accuracy of each annotator, newest fit.",
                AnnotatorRow::accuracy);
        annotatorGauge("prefpipe_annotator_informativeness", "Estimated informativeness (0 = spammer), newest fit.",
                AnnotatorRow::informativeness);
        annotatorGauge("prefpipe_annotator_p_first_shown", "Estimated P(picks the response shown first), newest fit.",
                AnnotatorRow::pFirstShown);
        annotatorGauge("prefpipe_annotator_accuracy_drift", "Accuracy in the newest fit minus in the first fit.",
                AnnotatorRow::accuracyDrift);
        annotatorGauge("prefpipe_annotator_judgements", "Votes of each annotator in the newest fit's window.",
                r -> (double) r.judgements());
        gauge("prefpipe_annotator_flagged", "1 for each flag an annotator earns in the newest fit.",
                new String[] {"annotator", "flag"},
                (s, cb) -> s.annotators().forEach(r -> r.flags().forEach(f -> cb.call(1, r.annotatorId(), f))));
        gauge("prefpipe_annotators_flagged", "Annotators with each flag in the newest fit.", new String[] {"flag"},
                (s, cb) -> {
                    Map<String, Long> byFlag = new TreeMap<>();
                    for (String f : new String[] {"SPAMMER", "ADVERSARIAL", "POSITION_BIASED"}) {
                        byFlag.put(f, 0L);
                    }
                    s.annotators().forEach(r -> r.flags().forEach(f -> byFlag.merge(f, 1L, Long::sum)));
                    byFlag.forEach((f, n) -> cb.call(n, f));
                });

        gauge("prefpipe_label_noise_judgement_flip_rate", "Estimated per-judgement flip rate of the newest fit.",
                new String[] {"method"}, (s, cb) -> {
                    NoisePoint p = s.latestLabelNoise();
                    if (p != null && p.judgementFlipRate() != null) {
                        cb.call(p.judgementFlipRate(), p.method());
                    }
                });
        gauge("prefpipe_label_noise_decided_error_rate", "Mean 1 - p_chosen of the pairs the newest deciding fit "
                + "decided.", new String[] {"method"}, (s, cb) -> s.labelNoise().stream()
                        .filter(p -> p.decidedErrorRate() != null)
                        .reduce((a, b) -> b)
                        .ifPresent(p -> cb.call(p.decidedErrorRate(), p.method())));

        histogramGauge("prefpipe_pairs_by_p_chosen", "Curated pairs by their soft label p_chosen (lower bin edge).",
                PairDistributions::pChosen);
        histogramGauge("prefpipe_pairs_by_agreement", "Curated pairs by the share of votes that agree with the label.",
                PairDistributions::agreement);
        histogramGauge("prefpipe_pairs_by_votes", "Curated pairs by their number of votes.", PairDistributions::votes);
        gauge("prefpipe_pairs_by_chars", "Curated pairs by response length in chars (lower bin edge).",
                new String[] {"side", "bin"}, (s, cb) -> {
                    bins(s.pairs().chosenChars(), (bin, n) -> cb.call(n, "chosen", bin));
                    bins(s.pairs().rejectedChars(), (bin, n) -> cb.call(n, "rejected", bin));
                });
        gauge("prefpipe_pairs_chosen_longer_ratio", "Share of curated pairs whose chosen response is the longer.",
                new String[0], (s, cb) -> {
                    if (s.pairs().chosenLongerShare() != null) {
                        cb.call(s.pairs().chosenLongerShare());
                    }
                });
        gauge("prefpipe_pairs_agreement_mean", "Mean agreement of the curated pairs.", new String[0], (s, cb) -> {
            if (s.pairs().meanAgreement() != null) {
                cb.call(s.pairs().meanAgreement());
            }
        });

        gauge("prefpipe_checkpoint_metric", "Metrics of each checkpoint event the monitor keeps (the newest ones).",
                new String[] {"checkpoint", "metric"}, (s, cb) -> {
                    for (CheckpointRow c : s.checkpoints()) {
                        c.metrics().forEach((m, v) -> {
                            if (Double.isFinite(v)) {
                                cb.call(v, c.checkpointId(), m);
                            }
                        });
                    }
                });
        gauge("prefpipe_checkpoint_created_timestamp_seconds", "When each checkpoint was written.",
                new String[] {"checkpoint", "parent", "snapshot"}, (s, cb) -> s.checkpoints().forEach(c ->
                        cb.call(c.createdMillis() / 1000.0, c.checkpointId(),
                                c.parentCheckpointId() == null ? "" : c.parentCheckpointId(), c.snapshotId())));

        counter("prefpipe_monitor_refreshes", "Refreshes of offsets, lag and manifests by the monitor.", new String[0],
                (s, cb) -> cb.call(monitor.refreshes()));
        counter("prefpipe_monitor_undecodable_records", "Records the monitor skipped as undecodable.", new String[0],
                (s, cb) -> cb.call(monitor.undecodable()));
    }

    /** The metric's values from the current snapshot. */
    @FunctionalInterface
    private interface Values<C> {
        void read(MonitorSnapshot snapshot, C callback);
    }

    private void gauge(String name, String help, String[] labels, Values<GaugeWithCallback.Callback> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labels)
                .callback(cb -> read(values, cb))
                .register(registry);
    }

    private void counter(String name, String help, String[] labels, Values<CounterWithCallback.Callback> values) {
        CounterWithCallback.builder().name(name).help(help).labelNames(labels)
                .callback(cb -> read(values, cb))
                .register(registry);
    }

    private <C> void read(Values<C> values, C callback) {
        MonitorSnapshot s = current;
        if (s != null) {
            values.read(s, callback);
        }
    }

    private void annotatorGauge(String name, String help, Function<AnnotatorRow, Double> value) {
        gauge(name, help, new String[] {"annotator", "method"}, (s, cb) -> s.annotators().forEach(r -> {
            Double v = value.apply(r);
            if (v != null) {
                cb.call(v, r.annotatorId(), r.method());
            }
        }));
    }

    private void histogramGauge(String name, String help,
            Function<PairDistributions, Histogram> histogram) {
        gauge(name, help, new String[] {"bin"},
                (s, cb) -> bins(histogram.apply(s.pairs()), (bin, n) -> cb.call(n, bin)));
    }

    private static void bins(Histogram h, BiConsumer<String, Long> each) {
        for (int i = 0; i < h.counts().size(); i++) {
            each.accept(String.format(Locale.ROOT, "%.2f", h.edges().get(i)), h.counts().get(i));
        }
    }
}
