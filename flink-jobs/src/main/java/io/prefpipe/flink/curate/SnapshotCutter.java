package io.prefpipe.flink.curate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Cuts snapshots from the folder an unbounded curation job writes into: a cut is what the job committed up to its
 * latest completed checkpoint and after the previous cut, described by a manifest like a bounded run's.
 *
 * <p>Cuts live in {@code <job folder>/}{@value #CUTS}{@code /<cut id>/}: the manifest, and hard links to the job's
 * Parquet files it lists (committed files are never changed again, so a link is as good as a copy and costs nothing;
 * on file systems without links, such as object stores, copies), so that a cut is a snapshot folder like any other and
 * training reads it through its manifest only. The job folder may be on any Flink file system. Counts and
 * offset ranges are the checkpoint's (from the {@link CheckpointLedger}) minus those at the previous cut.
 *
 * <p>A checkpoint's files are renamed into place just after it completes, so a cut checks that the committed files
 * hold exactly as many pairs as the checkpoint counted (files only ever hold pairs of one checkpoint interval), and
 * waits and reads again until they do. Only files no cut lists yet are read for their rows and checksum: the
 * previous cuts' manifests describe the rest, so a cut costs what was committed since the previous one.
 *
 * <p>Cuts of a local job folder take turns, across processes, at an OS lock on {@code cuts/}{@value #LOCK_FILE}, so two
 * commands cutting at once make consecutive cuts rather than two that list the same pairs. A folder on another file
 * system (an object store has no locks) must be cut by one process at a time.
 */
public final class SnapshotCutter {
    /** The folder of the cuts inside the job's snapshot folder. */
    public static final String CUTS = "cuts";
    public static final String CHECKPOINT_PROPERTY = "cut.checkpoint-id";
    public static final String PREVIOUS_PROPERTY = "cut.previous";
    public static final String SCHEMA_PROPERTY = "pairs.schema";

    /** The lock file in {@value #CUTS} that cuts of a local job folder take turns at. */
    static final String LOCK_FILE = ".cut.lock";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Duration timeout;
    private final Runnable onWait;

    /**
     * @param timeout how long a cut waits for the committed files to catch up with the checkpoint's counts
     */
    public SnapshotCutter(Clock clock, Duration timeout) {
        this(clock, timeout, () -> { });
    }

    /**
     * @param timeout how long a cut waits for the committed files to catch up with the checkpoint's counts
     * @param onWait told when a cut has to wait for another process's cut of the same local folder
     */
    public SnapshotCutter(Clock clock, Duration timeout, Runnable onWait) {
        this.clock = clock;
        this.timeout = timeout;
        this.onWait = onWait;
    }

    /** {@link #cut(Path, String)} of a local job folder. */
    public Optional<SnapshotManifest> cut(java.nio.file.Path jobDir, String cutId)
            throws IOException, InterruptedException {
        return cut(new Path(jobDir.toUri()), cutId);
    }

    /**
     * Cuts a snapshot named {@code cutId} from the job folder {@code jobDir}, on any Flink file system.
     *
     * @return the new cut's manifest, or empty if no checkpoint has completed since the previous cut, or none that
     *     read an event or committed a file
     * @throws IOException if the folder cannot be read or written, or the committed files do not match the latest
     *     checkpoint's counts within the timeout
     * @throws IllegalStateException if this process is cutting the same local folder already
     */
    public Optional<SnapshotManifest> cut(Path jobDir, String cutId) throws IOException, InterruptedException {
        Optional<java.nio.file.Path> local = Locations.local(jobDir.toUri());
        try (ProcessFileLock lock = local.isPresent() ? lockCuts(local.get()) : null) {
            return cutHoldingTheLock(jobDir, cutId);
        }
    }

    /**
     * Takes the lock that cuts of the local job folder {@code jobDir} take turns at, before the previous cuts are read:
     * two cuts at once would both start after the same previous cut and list the same pairs.
     */
    private ProcessFileLock lockCuts(java.nio.file.Path jobDir) throws IOException {
        try {
            return ProcessFileLock.exclusive(jobDir.resolve(CUTS).resolve(LOCK_FILE), onWait);
        } catch (ProcessFileLock.HeldByThisProcessException e) {
            throw new IllegalStateException("this process is cutting " + jobDir + " already", e);
        }
    }

    private Optional<SnapshotManifest> cutHoldingTheLock(Path jobDir, String cutId)
            throws IOException, InterruptedException {
        Path cuts = new Path(jobDir, CUTS);
        if (FlinkFiles.exists(new Path(new Path(cuts, cutId), SnapshotManifest.FILE_NAME))) {
            throw new IOException("a cut named " + cutId + " exists already in " + cuts);
        }
        List<SnapshotManifest> previous = cuts(jobDir);
        SnapshotManifest last = previous.isEmpty() ? null : previous.get(previous.size() - 1);
        long lastCheckpoint = last == null ? -1 : Long.parseLong(last.properties().get(CHECKPOINT_PROPERTY));
        Map<String, SnapshotFile> known = new HashMap<>();
        previous.forEach(m -> m.files().forEach(f -> known.put(f.path(), f)));
        Set<String> alreadyCut = new HashSet<>(known.keySet());

        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<CheckpointLedger.Checkpoint> latest =
                    CheckpointLedger.latest(new Path(jobDir, CheckpointLedger.FOLDER));
            if (latest.isEmpty() || latest.get().checkpointId() <= lastCheckpoint) {
                return Optional.empty();
            }
            CheckpointLedger.Checkpoint checkpoint = latest.get();
            // the job's files directly in its folder; cuts and the ledger are folders inside it
            List<SnapshotFile> committed = SnapshotFiles.committedIn(jobDir, known);
            committed.forEach(f -> known.put(f.path(), f));
            long rows = committed.stream().mapToLong(SnapshotFile::rows).sum();
            Counts total = FateCounters.counts(new HashMap<>(checkpoint.counts()));
            if (rows == total.pairs()) {
                List<SnapshotFile> files = committed.stream().filter(f -> !alreadyCut.contains(f.path())).toList();
                Counts counts = minus(total, previous);
                if (files.isEmpty() && counts.eventsIn() == 0) {
                    return Optional.empty();
                }
                SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, cutId,
                        clock.instant(), checkpoint.properties().getOrDefault(EstimateAnnotators.AGGREGATOR_PROPERTY,
                        "unknown"), files, ranges(jobDir, last, checkpoint), counts,
                        properties(checkpoint, last));
                write(jobDir, cuts, cutId, manifest);
                return Optional.of(manifest);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the committed files in " + jobDir + " hold " + rows + " pairs, but checkpoint "
                        + checkpoint.checkpointId() + " counted " + total.pairs() + " after " + timeout.toSeconds()
                        + " s");
            }
            Thread.sleep(200);
        }
    }

    /** {@link #pending(Path)} of a local job folder. */
    public static Counts pending(java.nio.file.Path jobDir) throws IOException {
        return pending(new Path(jobDir.toUri()));
    }

    /**
     * What a cut taken now would count, from the ledger alone (without waiting for the files): the newest completed
     * checkpoint's counts minus those of the cuts taken so far; all zero when no checkpoint has completed since the
     * previous cut. A scheduler polls this to decide when to cut.
     *
     * @throws IOException if the ledger or the cuts cannot be read
     */
    public static Counts pending(Path jobDir) throws IOException {
        List<SnapshotManifest> previous = cuts(jobDir);
        long lastCheckpoint = previous.isEmpty() ? -1
                : Long.parseLong(previous.get(previous.size() - 1).properties().get(CHECKPOINT_PROPERTY));
        Optional<CheckpointLedger.Checkpoint> latest =
                CheckpointLedger.latest(new Path(jobDir, CheckpointLedger.FOLDER));
        if (latest.isEmpty() || latest.get().checkpointId() <= lastCheckpoint) {
            long open = previous.isEmpty() ? 0 : previous.get(previous.size() - 1).counts().openAtEnd();
            return new Counts(0, 0, 0, Map.of(), Map.of(), open, open);
        }
        return minus(FateCounters.counts(new HashMap<>(latest.get().counts())), previous);
    }

    /** {@link #cuts(Path)} of a local job folder. */
    public static List<SnapshotManifest> cuts(java.nio.file.Path jobDir) throws IOException {
        return cuts(new Path(jobDir.toUri()));
    }

    /** The cuts taken so far from {@code jobDir}, oldest first: the folders in {@value #CUTS} with a manifest. */
    public static List<SnapshotManifest> cuts(Path jobDir) throws IOException {
        List<SnapshotManifest> out = new ArrayList<>();
        for (FileStatus s : FlinkFiles.list(new Path(jobDir, CUTS))) {
            Path manifest = new Path(s.getPath(), SnapshotManifest.FILE_NAME);
            if (s.isDir() && !s.getPath().getName().startsWith(".") && FlinkFiles.exists(manifest)) {
                SnapshotManifest cut = SnapshotFiles.readManifest(manifest);
                if (!cut.properties().containsKey(CHECKPOINT_PROPERTY)) {
                    throw new IOException(Locations.display(s.getPath().toUri()) + " holds snapshot "
                            + cut.snapshotId() + ", which was not cut from this job (its manifest has no "
                            + CHECKPOINT_PROPERTY + "); move it out of " + CUTS + "/");
                }
                out.add(cut);
            }
        }
        out.sort(Comparator.comparingLong(m -> Long.parseLong(m.properties().get(CHECKPOINT_PROPERTY))));
        return out;
    }

    /** From where the previous cut ended (or the job's planned start) to the checkpoint's next offsets. */
    private static List<OffsetRange> ranges(Path jobDir, SnapshotManifest last, CheckpointLedger.Checkpoint checkpoint)
            throws IOException {
        Map<String, Long> start = new TreeMap<>();
        if (last != null) {
            last.sources().forEach(r -> start.put(r.topic() + "/" + r.partition(), r.endOffset()));
        } else {
            Path plan = new Path(jobDir, SourcePlans.FILE_NAME);
            if (FlinkFiles.exists(plan)) {
                for (JsonNode r : FlinkFiles.read(plan, JSON::readTree).path("ranges")) {
                    start.put(r.path("topic").asText() + "/" + r.path("partition").asInt(),
                            r.path("startOffset").asLong());
                }
            }
        }
        Map<String, Long> end = new TreeMap<>(start);
        end.putAll(checkpoint.nextOffsets());
        List<OffsetRange> ranges = new ArrayList<>();
        end.forEach((key, to) -> {
            int slash = key.lastIndexOf('/');
            long from = Math.min(start.getOrDefault(key, 0L), to);
            ranges.add(new OffsetRange(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)), from, to));
        });
        return ranges;
    }

    private static Counts minus(Counts total, List<SnapshotManifest> previous) {
        long in = total.eventsIn();
        long curated = total.curatedEvents();
        long pairs = total.pairs();
        Map<String, Long> filtered = new TreeMap<>(total.filtered());
        Map<String, Long> dead = new TreeMap<>(total.deadLettered());
        long openAtStart = 0;
        for (SnapshotManifest m : previous) {
            openAtStart = m.counts().openAtEnd();
            in -= m.counts().eventsIn();
            curated -= m.counts().curatedEvents();
            pairs -= m.counts().pairs();
            m.counts().filtered().forEach((k, v) -> filtered.merge(k, -v, Long::sum));
            m.counts().deadLettered().forEach((k, v) -> dead.merge(k, -v, Long::sum));
        }
        filtered.values().removeIf(v -> v == 0);
        dead.values().removeIf(v -> v == 0);
        return new Counts(in, curated, pairs, filtered, dead, openAtStart, total.openAtEnd());
    }

    private static Map<String, String> properties(CheckpointLedger.Checkpoint checkpoint, SnapshotManifest last) {
        Map<String, String> p = new LinkedHashMap<>(checkpoint.properties());
        p.remove(EstimateAnnotators.AGGREGATOR_PROPERTY);
        p.put(CHECKPOINT_PROPERTY, Long.toString(checkpoint.checkpointId()));
        if (last != null) {
            p.put(PREVIOUS_PROPERTY, last.snapshotId());
        }
        p.put(SCHEMA_PROPERTY, PreferencePair.getClassSchema().toString());
        return p;
    }

    /**
     * Writes the cut's folder: its files, then its manifest, which makes it a cut. On the local file system the files
     * are hard links and the folder is filled under a hidden name and renamed into place; elsewhere (object stores
     * have neither links nor folder renames) the files are copied into the final folder and the manifest comes last.
     */
    private static void write(Path jobDir, Path cuts, String cutId, SnapshotManifest manifest) throws IOException {
        Path target = new Path(cuts, cutId);
        Optional<java.nio.file.Path> local = Locations.local(jobDir.toUri());
        if (local.isPresent()) {
            java.nio.file.Path job = local.get();
            java.nio.file.Path tmp = Files.createDirectories(job.resolve(CUTS).resolve("." + cutId + ".tmp"));
            for (SnapshotFile f : manifest.files()) {
                java.nio.file.Path link = tmp.resolve(f.path());
                Files.deleteIfExists(link);
                try {
                    Files.createLink(link, job.resolve(f.path()));
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(job.resolve(f.path()), link);
                }
            }
            FlinkFiles.writeAtomically(new Path(tmp.resolve(SnapshotManifest.FILE_NAME).toUri()), manifest::toJson);
            Files.move(tmp, job.resolve(CUTS).resolve(cutId));
            return;
        }
        FileSystem fs = target.getFileSystem();
        for (SnapshotFile f : manifest.files()) {
            try (FSDataInputStream in = fs.open(new Path(jobDir, f.path()));
                    FSDataOutputStream out = fs.create(new Path(target, f.path()), WriteMode.OVERWRITE)) {
                in.transferTo(out);
            }
        }
        FlinkFiles.writeAtomically(new Path(target, SnapshotManifest.FILE_NAME), manifest::toJson);
    }
}
