package io.prefpipe.flink.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.flink.fs.FlinkFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * What an unbounded curation job had counted and read at each checkpoint, kept beside its Parquet files so that a
 * snapshot can be cut from a running job (see {@link SnapshotCutter}).
 *
 * <p>At every checkpoint, each subtask of each counting operator writes one {@link Entry} under
 * {@code _ledger/chk-<n>/}: its share of the fate counts and the next source offset per partition, exactly as in the
 * checkpointed state (aligned barriers make these the counts of precisely the events before the barrier), and the
 * estimator its latest label-noise estimate. When checkpoint {@code n} has completed, the estimator marks it with
 * {@value #COMPLETE}. Entries of a checkpoint that never completed are never used. Each file is written whole or not at
 * all (see {@link FlinkFiles#writeAtomically}), on whatever Flink file system holds the snapshot.
 */
public final class CheckpointLedger {
    /** The ledger's folder inside the job's snapshot folder. */
    public static final String FOLDER = "_ledger";
    /** The file that marks a checkpoint as completed. */
    public static final String COMPLETE = "_complete";
    /** The operators that write entries; a checkpoint is usable once all their subtasks have. */
    public static final Set<String> OPERATORS = Set.of("decode-validate", "dedupe", "curate", "estimate-annotators");
    /** Keep this many checkpoints' entries behind the newest one a writer writes. */
    private static final int RETAINED = 10;
    private static final String PREFIX = "chk-";

    /** Leaves closing streams to their owners. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private CheckpointLedger() {}

    /**
     * One subtask's record of one checkpoint.
     *
     * @param operator the operator's uid, one of {@link #OPERATORS}
     * @param subtask the subtask index
     * @param parallelism the operator's parallelism
     * @param checkpointId the checkpoint
     * @param counts its cumulative fate counts by accumulator name (see {@code FateCounters})
     * @param nextOffsets per {@code topic/partition}, one past the last offset it read
     * @param properties anything else for the manifest, e.g. the label-noise estimate
     */
    public record Entry(String operator, int subtask, int parallelism, long checkpointId, Map<String, Long> counts,
            Map<String, Long> nextOffsets, Map<String, String> properties) {
        public Entry {
            Objects.requireNonNull(operator, "operator");
            counts = Map.copyOf(counts);
            nextOffsets = Map.copyOf(nextOffsets);
            properties = Map.copyOf(properties);
        }
    }

    /**
     * A completed checkpoint's entries, added up over subtasks.
     *
     * @param checkpointId the checkpoint
     * @param counts fate counts by accumulator name, summed over subtasks
     * @param nextOffsets per {@code topic/partition}, the highest next offset any subtask read
     * @param properties the entries' properties (the estimator's label noise)
     */
    public record Checkpoint(long checkpointId, Map<String, Long> counts, Map<String, Long> nextOffsets,
            Map<String, String> properties) {}

    /** Writes {@code entry} and drops the same writer's entry from {@value #RETAINED} checkpoints before. */
    public static void write(Path ledgerDir, Entry entry) throws IOException {
        Path dir = new Path(ledgerDir, PREFIX + entry.checkpointId());
        FlinkFiles.writeAtomically(new Path(dir, entry.operator() + "-" + entry.subtask() + ".json"),
                out -> JSON.writeValue(out, entry));
        Path old = new Path(ledgerDir, PREFIX + (entry.checkpointId() - RETAINED));
        FlinkFiles.deleteIfExists(new Path(old, entry.operator() + "-" + entry.subtask() + ".json"));
        FlinkFiles.deleteIfExists(new Path(old, COMPLETE));
        // another writer's entry may still be there; it deletes its own, and the last one the folder
        FlinkFiles.deleteIfExists(old);
    }

    /** Marks checkpoint {@code checkpointId} as completed, if any entry of it was written. */
    public static void markComplete(Path ledgerDir, long checkpointId) throws IOException {
        Path dir = new Path(ledgerDir, PREFIX + checkpointId);
        if (FlinkFiles.exists(dir)) {
            FlinkFiles.writeAtomically(new Path(dir, COMPLETE),
                    out -> out.write(Long.toString(checkpointId).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** {@link #latest(Path)} of a local ledger folder. */
    public static Optional<Checkpoint> latest(java.nio.file.Path ledgerDir) throws IOException {
        return latest(new Path(ledgerDir.toUri()));
    }

    /** The newest checkpoint that completed and whose entries are all there, if any. */
    public static Optional<Checkpoint> latest(Path ledgerDir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (FileStatus s : FlinkFiles.list(ledgerDir)) {
            if (s.getPath().getName().startsWith(PREFIX) && FlinkFiles.exists(new Path(s.getPath(), COMPLETE))) {
                dirs.add(s.getPath());
            }
        }
        dirs.sort(Comparator.comparingLong(CheckpointLedger::number).reversed());
        for (Path dir : dirs) {
            Optional<Checkpoint> c = read(dir);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<Checkpoint> read(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (FileStatus s : FlinkFiles.list(dir)) {
            String name = s.getPath().getName();
            if (name.endsWith(".json") && !name.startsWith(".")) {
                entries.add(FlinkFiles.read(s.getPath(), in -> JSON.readValue(in, Entry.class)));
            }
        }
        for (String operator : OPERATORS) {
            List<Entry> of = entries.stream().filter(e -> e.operator().equals(operator)).toList();
            if (of.isEmpty() || of.size() != of.get(0).parallelism()) {
                return Optional.empty();
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Long> offsets = new TreeMap<>();
        Map<String, String> properties = new HashMap<>();
        for (Entry e : entries) {
            e.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
            e.nextOffsets().forEach((k, v) -> offsets.merge(k, v, Math::max));
            properties.putAll(e.properties());
        }
        return Optional.of(new Checkpoint(number(dir), counts, offsets, properties));
    }

    private static long number(Path dir) {
        try {
            return Long.parseLong(dir.getName().substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
