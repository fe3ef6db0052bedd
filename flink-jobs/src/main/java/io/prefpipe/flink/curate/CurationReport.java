package io.prefpipe.flink.curate;

import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * What a finished bounded curation run did.
 *
 * @param jobId the Flink job id
 * @param counts the fate of every event read, and the pairs written
 * @param eventsInByTopic events read from each feedback topic (Avro and JSON), adding up to {@code counts.eventsIn()}
 * @param elapsed wall time from submission to the manifest being written
 * @param snapshotDir the snapshot folder
 * @param manifest the manifest written into {@code snapshotDir}
 */
public record CurationReport(String jobId, Counts counts, Map<String, Long> eventsInByTopic, Duration elapsed,
        Path snapshotDir, SnapshotManifest manifest) {
    public CurationReport {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(counts, "counts");
        eventsInByTopic = Collections.unmodifiableMap(new TreeMap<>(eventsInByTopic));
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(snapshotDir, "snapshotDir");
        Objects.requireNonNull(manifest, "manifest");
    }

    public long eventsIn() {
        return counts.eventsIn();
    }

    public long curatedEvents() {
        return counts.curatedEvents();
    }

    public long pairs() {
        return counts.pairs();
    }

    /** Filtered events by reason code, e.g. {@code duplicate}, {@code tie}, {@code late}. */
    public Map<String, Long> filtered() {
        return counts.filtered();
    }

    /** Dead-lettered events by reason code, e.g. {@code invalid_avro}, {@code unknown_response}. */
    public Map<String, Long> deadLettered() {
        return counts.deadLettered();
    }

    /** Events per second over the whole run, start-up and final checkpoint included. */
    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : counts.eventsIn() / seconds;
    }
}
