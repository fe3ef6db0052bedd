package io.prefpipe.app;

import io.prefpipe.app.loop.LiveCuration;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.flink.snapshot.SnapshotFetcher;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.FileStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Lists, shows, cuts and fetches snapshots (sets of committed Parquet files described by a manifest), and lists and
 * prunes the copies training and export fetched.
 */
@Command(
        name = "snapshot",
        header = "Lists, shows, cuts and fetches curated snapshots; lists and prunes fetched copies.",
        mixinStandardHelpOptions = true,
        subcommands = {SnapshotCommand.ListSnapshots.class, SnapshotCommand.Show.class, SnapshotCommand.Cut.class,
            SnapshotCommand.Fetch.class, SnapshotCommand.Cache.class},
        description = {
            "A snapshot is a folder with manifest.json naming its Parquet files (rows, SHA-256), the Kafka offsets",
            "they cover, the counts of every event's fate, the label-noise estimate and the schema. Bounded",
            "`curate --bounded` runs write one; `snapshot cut` cuts one from a running unbounded job.",
            "Locations are local folders or URIs of a store a Flink plugin serves (s3://bucket/snapshots with the",
            "S3 plugin prefpipe ships); `snapshot fetch` copies a snapshot from there into a local folder, and",
            "`snapshot cache` lists and prunes the copies training and export fetch by themselves."
        })
final class SnapshotCommand implements Runnable {
    private static final DateTimeFormatter CUT_ID =
            DateTimeFormatter.ofPattern("'cut-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Override
    public void run() {
        throw new ParameterException(new CommandLine(this),
                "name a subcommand: list, show, cut, fetch or cache");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the snapshots under a folder: id, time, rows, files, events and offsets.")
    static final class ListSnapshots implements Callable<Integer> {
        /** How deep under the folder manifests are looked for: a job folder's cuts are at cuts/<id>/. */
        private static final int DEPTH = 4;

        @Option(names = "--dir", required = true,
                description = "Folder to search (e.g. the --out of curate), or a URI such as s3://bucket/snapshots.")
        String dir;

        @Mixin StoreOptions store;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            URI root = store.locate("--dir", dir);
            PrintWriter out = spec.commandLine().getOut();
            List<Found> found = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            collect(new org.apache.flink.core.fs.Path(root), DEPTH, found, skipped);
            found.sort(Comparator.comparing(f -> f.manifest().createdTime()));
            out.printf("%-28s %-20s %8s %5s %8s  %s%n", "id", "created (UTC)", "rows", "files", "events",
                    "offsets");
            for (Found f : found) {
                SnapshotManifest m = f.manifest();
                out.printf("%-28s %-20s %8d %5d %8d  %s%n", m.snapshotId(),
                        DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC)
                                .format(m.createdTime().truncatedTo(ChronoUnit.SECONDS)),
                        m.totalRows(), m.files().size(), m.counts().eventsIn(), offsets(m));
                out.printf("  %s%n", Locations.display(f.folder()));
            }
            out.printf("%d snapshot(s)%n", found.size());
            if (!skipped.isEmpty()) {
                out.printf("skipped %d %s that %s not a snapshot's (a training checkpoint has one too):%n",
                        skipped.size(), SnapshotManifest.FILE_NAME, skipped.size() == 1 ? "is" : "are");
                skipped.forEach(line -> out.printf("  %s%n", line));
            }
            out.flush();
            return 0;
        }

        private record Found(URI folder, SnapshotManifest manifest) {}

        /**
         * Adds every folder under {@code dir} (itself included, {@code depth} levels down) that holds a snapshot
         * manifest to {@code found}, and each {@value SnapshotManifest#FILE_NAME} that is not a snapshot's, with the
         * reason, to {@code skipped}.
         */
        private static void collect(org.apache.flink.core.fs.Path dir, int depth, List<Found> found,
                List<String> skipped) throws IOException {
            for (FileStatus status : FlinkFiles.list(dir)) {
                org.apache.flink.core.fs.Path path = status.getPath();
                if (status.isDir()) {
                    if (depth > 1) {
                        collect(path, depth - 1, found, skipped);
                    }
                } else if (path.getName().equals(SnapshotManifest.FILE_NAME)) {
                    try {
                        found.add(new Found(path.getParent().toUri(), SnapshotFiles.readManifest(path)));
                    } catch (SnapshotFiles.NotASnapshotManifestException e) {
                        skipped.add(e.getMessage());
                    }
                }
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a snapshot's manifest.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "The snapshot folder (or its manifest.json), local or a URI.")
        String snapshot;

        @Mixin StoreOptions store;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            URI location = store.locate("snapshot", snapshot);
            org.apache.flink.core.fs.Path given = new org.apache.flink.core.fs.Path(location);
            org.apache.flink.core.fs.Path manifest = given.getName().equals(SnapshotManifest.FILE_NAME)
                    ? given : new org.apache.flink.core.fs.Path(given, SnapshotManifest.FILE_NAME);
            if (!FlinkFiles.exists(manifest)) {
                throw new NoSuchFileException(Locations.display(manifest.toUri()), null,
                        "no snapshot manifest: a snapshot is a folder with " + SnapshotManifest.FILE_NAME);
            }
            // printed as the job writes it, from the one read that also checks it is a snapshot's
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            SnapshotFiles.readManifest(manifest).toJson(json);
            spec.commandLine().getOut().println(json.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true, description = {
        "Cuts a snapshot from the folder a running (unbounded) `curate` job writes into: the files it committed up",
        "to its latest completed checkpoint since the previous cut, with that checkpoint's counts, offsets per",
        "partition and label-noise estimate. The cut goes to <job-dir>/cuts/<id>/ (manifest and hard links).",
        "Cuts of a local folder take turns (a second one waits, saying so, then cuts what came after the first);",
        "a folder on S3 or HDFS must be cut by one process at a time.",
        "Refuses (exit code 3) the job folder of a `prefpipe run` loop, which cuts its own snapshots: a cut taken",
        "by hand would take its pairs away from the loop's next iteration."})
    static final class Cut implements Callable<Integer> {
        @Option(names = "--job-dir", required = true,
                description = "The running job's snapshot folder, local or a URI such as s3://bucket/snapshots/live.")
        String jobDir;

        @Option(names = "--id", description = "Id of the new snapshot (default: cut-<UTC time>).")
        String id;

        @Option(names = "--timeout-seconds", defaultValue = "60",
                description = "How long to wait for the checkpoint's files to be committed (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Mixin StoreOptions store;

        @Spec CommandSpec spec;

        /**
         * Exit code 0 with a new cut, 2 when nothing was committed since the previous one, 3 when the folder is a
         * loop's.
         */
        @Override
        public Integer call() throws Exception {
            URI location = store.locate("--job-dir", jobDir);
            Optional<Path> local = Locations.local(location);
            if (local.isPresent() && !Files.isDirectory(local.get())) {
                throw new NoSuchFileException(local.get().toString(), null,
                        "not a folder: --job-dir must be the snapshot folder of a running curation job");
            }
            // a loop keeps its job folder on local disk, and marks it there
            Optional<LiveCuration.Owner> owner = local.isPresent() ? LiveCuration.owner(local.get()) : Optional.empty();
            if (owner.isPresent()) {
                Path job = local.get();
                // no --force: such a cut is never harmless, its pairs would be in none of the loop's iterations
                spec.commandLine().getErr().println("prefpipe snapshot cut: " + job + " is the curation job of "
                        + owner.get() + ", which cuts its own snapshots; a cut taken here would take its pairs away"
                        + " from the loop's next iteration. The loop's cuts are listed by `prefpipe snapshot list"
                        + " --dir " + job.resolve(SnapshotCutter.CUTS) + "`; to cut by hand, run a `prefpipe"
                        + " curate` job of your own. If that loop is gone for good,"
                        + " delete " + job.resolve(LiveCuration.OWNER_FILE) + " first.");
                spec.commandLine().getErr().flush();
                return 3;
            }
            PrintWriter out = spec.commandLine().getOut();
            Optional<SnapshotManifest> cut = cut(location, id, Duration.ofSeconds(timeoutSeconds), out);
            out.flush();
            return cut.isPresent() ? 0 : 2;
        }

        private static Optional<SnapshotManifest> cut(URI jobDir, String id, Duration timeout, PrintWriter out)
                throws Exception {
            String cutId = id != null ? id : CUT_ID.format(Instant.now());
            org.apache.flink.core.fs.Path job = new org.apache.flink.core.fs.Path(jobDir);
            Optional<SnapshotManifest> cut = new SnapshotCutter(Clock.systemUTC(), timeout, () -> {
                out.println("waiting for another process's cut of " + Locations.display(jobDir) + " to finish ...");
                out.flush();
            }).cut(job, cutId);
            if (cut.isEmpty()) {
                out.println("no checkpoint completed in " + Locations.display(jobDir) + " since the previous cut read an event or committed a"
                        + " file; nothing to cut");
                return cut;
            }
            SnapshotManifest m = cut.get();
            Counts c = m.counts();
            out.printf("snapshot %s at checkpoint %s: %d pairs in %d file(s)%n", m.snapshotId(),
                    m.properties().get(SnapshotCutter.CHECKPOINT_PROPERTY), m.totalRows(), m.files().size());
            out.printf("waiting at start %d + events in %d = curated %d + filtered %d + dead-lettered %d + waiting at"
                    + " end %d  [%s]%n", c.openAtStart(), c.eventsIn(), c.curatedEvents(), c.filteredTotal(),
                    c.deadLetteredTotal(), c.openAtEnd(), c.reconciles() ? "reconciled" : "MISMATCH");
            out.printf("offsets %s%n", offsets(m));
            if (m.properties().containsKey(LabelNoise.JUDGEMENT_FLIP_RATE)) {
                out.printf("label noise (%s): judgement flip rate %s%n", m.properties().get(LabelNoise.METHOD),
                        m.properties().get(LabelNoise.JUDGEMENT_FLIP_RATE));
            }
            out.printf("manifest %s%n", Locations.display(new org.apache.flink.core.fs.Path(job,
                    SnapshotCutter.CUTS + "/" + m.snapshotId() + "/" + SnapshotManifest.FILE_NAME).toUri()));
            return cut;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, description = {
        "Copies a snapshot from S3 (or another store a Flink plugin serves) into a local folder, which training and",
        "export then read: only the files its manifest names, each checked against the manifest's size and SHA-256.",
        "The folder appears only once complete; fetching the same snapshot into it again copies nothing."})
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", description = "The snapshot folder, e.g. s3://bucket/snapshots/live/cuts/c1.")
        String snapshot;

        @Option(names = "--to", required = true, description = "Local folder to create for the snapshot.")
        Path to;

        @Mixin StoreOptions store;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            URI location = store.locate("snapshot", snapshot);
            PrintWriter out = spec.commandLine().getOut();
            long start = System.nanoTime();
            SnapshotFetcher.Fetched fetched = new SnapshotFetcher(line -> {
                out.println(line);
                out.flush();
            }).fetch(location, to);
            SnapshotManifest m = fetched.manifest();
            out.printf(Locale.ROOT, "%s: snapshot %s, %d pairs in %d file(s) at %s (%d file(s), %,d bytes copied in"
                            + " %.1f s)%n", fetched.filesCopied() == 0 ? "already fetched" : "fetched",
                    m.snapshotId(), m.totalRows(), m.files().size(), fetched.folder(), fetched.filesCopied(),
                    fetched.bytesCopied(), (System.nanoTime() - start) / 1e9);
            out.flush();
            return 0;
        }
    }

    @Command(name = "cache", mixinStandardHelpOptions = true, description = {
        "Lists the local copies of remote snapshots that train-rm, optimize, eval and export fetched by themselves",
        "(without --fetch-to), least recently used first, and with --prune removes those unused for a while.",
        "A copy's last use is when a command last read it; incomplete copies are fetches or removals cut short.",
        "Pruning waits for the commands that are fetching or reading a cached copy."})
    static final class Cache implements Callable<Integer> {
        private static final DateTimeFormatter USED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(ZoneOffset.UTC);

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "The cache folder (default: $"
                + SnapshotCache.CACHE_DIR_ENV + ", else ~/.cache/prefpipe).")
        Path cacheDir;

        @Option(names = "--prune", description = "Remove the copies no command has used for --unused-days.")
        boolean prune;

        @Option(names = "--unused-days", defaultValue = "14", paramLabel = "DAYS",
                description = "With --prune: how many days unused a copy is removed after (default: ${DEFAULT-VALUE};"
                        + " 0 removes every copy).")
        int unusedDays;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (unusedDays < 0) {
                throw new ParameterException(spec.commandLine(), "--unused-days must be >= 0, got " + unusedDays);
            }
            SnapshotCache cache = cacheDir != null ? new SnapshotCache(cacheDir) : SnapshotCache.atDefaultLocation();
            PrintWriter out = spec.commandLine().getOut();
            if (!prune) {
                list(cache.entries(), cache, out);
                return 0;
            }
            // held from before the listing: a copy read meanwhile would be listed with an old last use
            try (ProcessFileLock hold = cache.holdForPruning(() -> {
                out.println("waiting for the commands reading cached snapshots to finish ...");
                out.flush();
            })) {
                List<SnapshotCache.Entry> entries = cache.entries();
                list(entries, cache, out);
                List<SnapshotCache.Entry> removed = cache.prune(entries, Duration.ofDays(unusedDays), Instant.now());
                for (SnapshotCache.Entry e : removed) {
                    out.printf("removed %s (%s, last used %s)%n", e.folder(),
                            e.incomplete() ? "incomplete" : e.snapshotId(), USED.format(e.lastUsed()));
                }
                long freed = removed.stream().mapToLong(SnapshotCache.Entry::bytes).sum();
                out.printf(Locale.ROOT, "pruned %d cop%s unused for %d day(s): %,d bytes freed, %d kept%n",
                        removed.size(), removed.size() == 1 ? "y" : "ies", unusedDays, freed,
                        entries.size() - removed.size());
            }
            out.flush();
            return 0;
        }

        private static void list(List<SnapshotCache.Entry> entries, SnapshotCache cache, PrintWriter out) {
            out.printf("%d cached snapshot cop%s in %s%n", entries.size(), entries.size() == 1 ? "y" : "ies",
                    cache.folder());
            for (SnapshotCache.Entry e : entries) {
                out.printf(Locale.ROOT, "  %s  %,15d bytes  %-24s %s%n", USED.format(e.lastUsed()), e.bytes(),
                        e.incomplete() ? "(incomplete)" : e.snapshotId(), e.location());
            }
            long total = entries.stream().mapToLong(SnapshotCache.Entry::bytes).sum();
            out.printf(Locale.ROOT, "total %,d bytes%n", total);
            out.flush();
        }
    }

    private static String offsets(SnapshotManifest m) {
        return m.sources().stream()
                .map(r -> r.topic() + "/" + r.partition() + ":[" + r.startOffset() + "," + r.endOffset() + ")")
                .collect(Collectors.joining(" "));
    }
}
