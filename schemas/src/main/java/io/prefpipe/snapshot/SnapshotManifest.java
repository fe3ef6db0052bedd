package io.prefpipe.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Describes one snapshot of curated preference pairs; written as {@value #FILE_NAME} in the snapshot's folder.
 *
 * @param formatVersion version of this manifest's layout, {@value #FORMAT_VERSION}
 * @param snapshotId unique id of the snapshot
 * @param createdTime when the snapshot was cut
 * @param aggregator the label aggregator that decided the pairs
 * @param files the Parquet files of {@code PreferencePair} records, paths relative to the snapshot folder
 * @param sources the Kafka offset ranges the snapshot covers, per topic partition
 * @param counts what happened to every event read
 * @param properties free-form facts about the snapshot (e.g. the label-noise estimate once there is one)
 */
public record SnapshotManifest(
        int formatVersion,
        String snapshotId,
        Instant createdTime,
        String aggregator,
        List<SnapshotFile> files,
        List<OffsetRange> sources,
        Counts counts,
        Map<String, String> properties) {

    public static final String FILE_NAME = "manifest.json";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public SnapshotManifest {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(createdTime, "createdTime");
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(counts, "counts");
        files = List.copyOf(files);
        sources = List.copyOf(sources);
        properties = Map.copyOf(properties);
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + formatVersion + " is not supported, only "
                    + FORMAT_VERSION);
        }
    }

    /**
     * A data file of the snapshot.
     *
     * @param path path relative to the snapshot folder
     * @param rows number of records
     * @param bytes file size
     * @param sha256 hex SHA-256 of the file's bytes
     */
    public record SnapshotFile(String path, long rows, long bytes, String sha256) {
        public SnapshotFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            if (Path.of(path).isAbsolute() || path.contains("..")) {
                throw new IllegalArgumentException("path must be relative to the snapshot folder, got " + path);
            }
        }
    }

    /**
     * Offsets read from one topic partition: records {@code [startOffset, endOffset)}.
     *
     * @param topic topic name
     * @param partition partition number
     * @param startOffset first offset covered
     * @param endOffset one past the last offset covered
     */
    public record OffsetRange(String topic, int partition, long startOffset, long endOffset) {
        public OffsetRange {
            Objects.requireNonNull(topic, "topic");
            if (startOffset < 0 || endOffset < startOffset) {
                throw new IllegalArgumentException("offset range [" + startOffset + ", " + endOffset + ") of " + topic
                        + "-" + partition + " is invalid");
            }
        }
    }

    /**
     * The fate of every event read into the snapshot. Valid events wait in their comparison until it is decided; a
     * snapshot cut from a running job can start or end while some do, so it also states how many were waiting at its
     * start (read before it, decided in it) and at its end (read in it, decided later). A bounded run's snapshot
     * starts and ends with none.
     *
     * @param eventsIn events read from the source topics
     * @param curatedEvents events that voted on at least one curated pair
     * @param pairs curated pairs written
     * @param filtered valid events not curated, by reason code
     * @param deadLettered events that were not valid, by reason code
     * @param openAtStart valid events waiting in undecided comparisons when the snapshot starts
     * @param openAtEnd valid events waiting in undecided comparisons when the snapshot ends
     */
    public record Counts(long eventsIn, long curatedEvents, long pairs, Map<String, Long> filtered,
            Map<String, Long> deadLettered, long openAtStart, long openAtEnd) {
        @JsonCreator
        public Counts {
            // sorted, so manifests and printed summaries list reasons in a stable order
            filtered = Collections.unmodifiableMap(new TreeMap<>(filtered));
            deadLettered = Collections.unmodifiableMap(new TreeMap<>(deadLettered));
        }

        /** Counts of a stream read from its start to its end, where every comparison is decided. */
        public Counts(long eventsIn, long curatedEvents, long pairs, Map<String, Long> filtered,
                Map<String, Long> deadLettered) {
            this(eventsIn, curatedEvents, pairs, filtered, deadLettered, 0, 0);
        }

        @JsonIgnore
        public long filteredTotal() {
            return filtered.values().stream().mapToLong(Long::longValue).sum();
        }

        @JsonIgnore
        public long deadLetteredTotal() {
            return deadLettered.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * Whether events in = curated + filtered + dead-lettered, counting the events still waiting at the end and
         * not those decided here but read before: {@code openAtStart + eventsIn = curated + filtered + dead-lettered
         * + openAtEnd}.
         */
        @JsonIgnore
        public boolean reconciles() {
            return openAtStart + eventsIn == curatedEvents + filteredTotal() + deadLetteredTotal() + openAtEnd;
        }
    }

    /** Total rows over all files. */
    @JsonIgnore
    public long totalRows() {
        return files.stream().mapToLong(SnapshotFile::rows).sum();
    }

    /** Absolute paths of the data files of the snapshot whose manifest is in {@code snapshotDir}. */
    public List<Path> resolveFiles(Path snapshotDir) {
        return files.stream().map(f -> snapshotDir.resolve(f.path())).toList();
    }

    /** Reads the manifest in {@code snapshotDir}. */
    public static SnapshotManifest read(Path snapshotDir) throws IOException {
        Path file = snapshotDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IOException("no snapshot manifest at " + file + ": a snapshot is a folder with " + FILE_NAME);
        }
        return JSON.readValue(file.toFile(), SnapshotManifest.class);
    }

    /** Reads a manifest from its JSON form; does not close {@code in}. */
    public static SnapshotManifest fromJson(InputStream in) throws IOException {
        return JSON.readerFor(SnapshotManifest.class).without(JsonParser.Feature.AUTO_CLOSE_SOURCE).readValue(in);
    }

    /** Writes this manifest's JSON form, as {@link #FILE_NAME} holds it; does not close {@code out}. */
    public void toJson(OutputStream out) throws IOException {
        JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, this);
    }

    /** Writes this manifest into {@code snapshotDir} atomically: readers see the old manifest or the whole new one. */
    public Path write(Path snapshotDir) throws IOException {
        Files.createDirectories(snapshotDir);
        Path tmp = Files.createTempFile(snapshotDir, ".manifest-", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), this);
            return Files.move(tmp, snapshotDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
