package io.prefpipe.app;

import io.prefpipe.app.loop.LiveCuration;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Lists, shows and cuts snapshots: sets of committed Parquet files described by a manifest. */
@Command(
        name = "snapshot",
        header = "Lists, shows and cuts curated snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {SnapshotCommand.ListSnapshots.class, SnapshotCommand.Show.class, SnapshotCommand.Cut.class},
        description = {
            "A snapshot is a folder with manifest.json naming its Parquet files (rows, SHA-256), the Kafka offsets",
            "they cover, the counts of every event's fate, the label-noise estimate and the schema. Bounded",
            "`curate --bounded` runs write one; `snapshot cut` cuts one from a running unbounded job."
        })
final class SnapshotCommand implements Runnable {
    private static final DateTimeFormatter CUT_ID =
            DateTimeFormatter.ofPattern("'cut-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Override
    public void run() {
        throw new ParameterException(new CommandLine(this),
                "name a subcommand: list, show or cut");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the snapshots under a folder: id, time, rows, files, events and offsets.")
    static final class ListSnapshots implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Folder to search (e.g. the --out of curate).")
        Path dir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<Path> found = find(dir);
            out.printf("%-28s %-20s %8s %5s %8s  %s%n", "id", "created (UTC)", "rows", "files", "events",
                    "offsets");
            for (Path folder : found) {
                SnapshotManifest m = SnapshotManifest.read(folder);
                out.printf("%-28s %-20s %8d %5d %8d  %s%n", m.snapshotId(),
                        DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC)
                                .format(m.createdTime().truncatedTo(ChronoUnit.SECONDS)),
                        m.totalRows(), m.files().size(), m.counts().eventsIn(), offsets(m));
                out.printf("  %s%n", folder);
            }
            out.printf("%d snapshot(s)%n", found.size());
            out.flush();
            return 0;
        }

        /** Every folder under {@code dir} (itself included) that holds a manifest, sorted by creation time. */
        static List<Path> find(Path dir) throws IOException {
            List<Path> out = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(dir, 4)) {
                for (Path p : walk.filter(p -> p.getFileName().toString().equals(SnapshotManifest.FILE_NAME))
                        .toList()) {
                    out.add(p.getParent());
                }
            }
            List<Path> sorted = new ArrayList<>(out);
            sorted.sort(Comparator.comparing(SnapshotCommand::created));
            return sorted;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a snapshot's manifest.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "The snapshot folder (or its manifest.json).")
        Path snapshot;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path folder = snapshot.getFileName().toString().equals(SnapshotManifest.FILE_NAME)
                    ? snapshot.getParent() : snapshot;
            SnapshotManifest.read(folder);
            spec.commandLine().getOut().println(Files.readString(folder.resolve(SnapshotManifest.FILE_NAME)));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true, description = {
        "Cuts a snapshot from the folder a running (unbounded) `curate` job writes into: the files it committed up",
        "to its latest completed checkpoint since the previous cut, with that checkpoint's counts, offsets per",
        "partition and label-noise estimate. The cut goes to <job-dir>/cuts/<id>/ (manifest and hard links).",
        "Refuses (exit code 3) the job folder of a `prefpipe run` loop, which cuts its own snapshots: a cut taken",
        "by hand would take its pairs away from the loop's next iteration."})
    static final class Cut implements Callable<Integer> {
        @Option(names = "--job-dir", required = true, description = "The running job's snapshot folder.")
        Path jobDir;

        @Option(names = "--id", description = "Id of the new snapshot (default: cut-<UTC time>).")
        String id;

        @Option(names = "--timeout-seconds", defaultValue = "60",
                description = "How long to wait for the checkpoint's files to be committed (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Spec CommandSpec spec;

        /**
         * Exit code 0 with a new cut, 2 when nothing was committed since the previous one, 3 when the folder is a
         * loop's.
         */
        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(jobDir)) {
                throw new NoSuchFileException(jobDir.toString(), null,
                        "not a folder: --job-dir must be the snapshot folder of a running curation job");
            }
            Optional<LiveCuration.Owner> owner = LiveCuration.owner(jobDir);
            if (owner.isPresent()) {
                // no --force: such a cut is never harmless, its pairs would be in none of the loop's iterations
                spec.commandLine().getErr().println("prefpipe snapshot cut: " + jobDir + " is the curation job of "
                        + owner.get() + ", which cuts its own snapshots; a cut taken here would take its pairs away"
                        + " from the loop's next iteration. The loop's cuts are listed by `prefpipe snapshot list"
                        + " --dir " + jobDir.resolve(SnapshotCutter.CUTS) + "`; to cut by hand, run a `prefpipe"
                        + " curate` job of your own. If that loop is gone for good,"
                        + " delete " + jobDir.resolve(LiveCuration.OWNER_FILE) + " first.");
                spec.commandLine().getErr().flush();
                return 3;
            }
            PrintWriter out = spec.commandLine().getOut();
            Optional<SnapshotManifest> cut = cut(jobDir, id, Duration.ofSeconds(timeoutSeconds), out);
            out.flush();
            return cut.isPresent() ? 0 : 2;
        }

        static Optional<SnapshotManifest> cut(Path jobDir, String id, Duration timeout, PrintWriter out)
                throws Exception {
            String cutId = id != null ? id : CUT_ID.format(Instant.now());
            Optional<SnapshotManifest> cut = new SnapshotCutter(Clock.systemUTC(), timeout).cut(jobDir, cutId);
            if (cut.isEmpty()) {
                out.println("no checkpoint completed in " + jobDir + " since the previous cut read an event or committed a"
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
            out.printf("manifest %s%n", jobDir.resolve(SnapshotCutter.CUTS).resolve(m.snapshotId())
                    .resolve(SnapshotManifest.FILE_NAME));
            return cut;
        }
    }

    private static String offsets(SnapshotManifest m) {
        return m.sources().stream()
                .map(r -> r.topic() + "/" + r.partition() + ":[" + r.startOffset() + "," + r.endOffset() + ")")
                .collect(Collectors.joining(" "));
    }

    private static Instant created(Path folder) {
        try {
            return SnapshotManifest.read(folder).createdTime();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
