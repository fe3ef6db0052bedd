package io.prefpipe.app;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.flink.snapshot.SnapshotFetcher;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where training, evaluation and export read a snapshot from. A local snapshot folder is read where it is. A snapshot
 * on S3, or in another store a Flink plugin serves, is fetched first into a local folder ({@link SnapshotFetcher}: only
 * the files its manifest names, each checked), because training reads its pairs many times over; the copy is kept, so
 * the next command on the same snapshot copies nothing, and marked as used ({@link SnapshotCache}); while a command
 * reads it, the cache is held so that pruning leaves it.
 */
public final class SnapshotInput {
    @Option(names = "--fetch-to", paramLabel = "DIR", description = "Local folder to fetch a remote --snapshot into"
            + " (default: its location under $" + SnapshotCache.CACHE_DIR_ENV + "/snapshots, else"
            + " ~/.cache/prefpipe/snapshots; `prefpipe snapshot cache` lists and prunes those).")
    Path fetchTo;

    @Mixin StoreOptions store;

    /** A snapshot's local folder, open for reading: a copy in the cache is not pruned until this is closed. */
    public static final class LocalSnapshot implements AutoCloseable {
        private final Path folder;
        private final ProcessFileLock hold;

        private LocalSnapshot(Path folder, ProcessFileLock hold) {
            this.folder = folder;
            this.hold = hold;
        }

        /** The folder that holds the snapshot's manifest. */
        public Path folder() {
            return folder;
        }

        @Override
        public void close() throws IOException {
            if (hold != null) {
                hold.close();
            }
        }
    }

    /**
     * Opens the snapshot {@code text} names: its folder itself, or the copy of a remote one, fetched now unless it
     * already was. Close it when the command has read it.
     *
     * @param field the option it comes from, named in errors
     * @param progress told what is fetched, file by file
     */
    public LocalSnapshot open(String field, String text, PrintStream progress) throws IOException {
        URI location = store.locate(field, text);
        Optional<Path> local = Locations.local(location);
        if (local.isPresent()) {
            return new LocalSnapshot(local.get(), null);
        }
        SnapshotCache cache = SnapshotCache.atDefaultLocation();
        Path to = fetchTo != null ? fetchTo : cache.folderFor(location);
        ProcessFileLock hold = fetchTo != null ? null : cache.holdForReading(() -> progress.println(
                "waiting for `prefpipe snapshot cache --prune` to finish with the snapshot cache ..."));
        try {
            long start = System.nanoTime();
            progress.printf("fetching snapshot %s to %s ...%n", location, to);
            SnapshotFetcher.Fetched fetched = new SnapshotFetcher(progress::println).fetch(location, to);
            progress.printf(Locale.ROOT, "%s snapshot %s: %d file(s), %,d bytes copied in %.1f s%n",
                    fetched.filesCopied() == 0 ? "already fetched" : "fetched", fetched.manifest().snapshotId(),
                    fetched.filesCopied(), fetched.bytesCopied(), (System.nanoTime() - start) / 1e9);
            SnapshotCache.markUsed(fetched.folder());
            return new LocalSnapshot(fetched.folder(), hold);
        } catch (IOException | RuntimeException e) {
            if (hold != null) {
                hold.close();
            }
            throw e;
        }
    }
}
