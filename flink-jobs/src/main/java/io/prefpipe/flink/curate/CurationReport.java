package io.prefpipe.flink.curate;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.net.URI;
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
 * @param snapshotLocation the snapshot folder, on any Flink file system
 * @param manifest the manifest written into the snapshot folder
 */
public record CurationReport(String jobId, Counts counts, Map<String, Long> eventsInByTopic, Duration elapsed,
        URI snapshotLocation, SnapshotManifest manifest) {
    public CurationReport {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(counts, "counts");
        eventsInByTopic = Collections.unmodifiableMap(new TreeMap<>(eventsInByTopic));
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(snapshotLocation, "snapshotLocation");
        Objects.requireNonNull(manifest, "manifest");
    }

    /**
     * The snapshot folder as a local path.
     *
     * @throws IllegalStateException if the snapshot lives on another file system than the local one
     */
    public Path snapshotDir() {
        return Locations.local(snapshotLocation).orElseThrow(() -> new IllegalStateException("snapshot location "
                + snapshotLocation + " is not a local folder"));
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
