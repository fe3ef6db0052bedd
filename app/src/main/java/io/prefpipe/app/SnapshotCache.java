package io.prefpipe.app;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.ProcessFileLock;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local copies of remote snapshots that training, evaluation and export fetch by default ({@link SnapshotInput}),
 * under {@code snapshots/} of a cache folder: {@code $PREFPIPE_CACHE_DIR}, else {@code ~/.cache/prefpipe}. A copy's
 * folder mirrors its location (scheme, authority, path), and its modification time is when a command last used it, so
 * that copies no command has used for a while can be found and removed ({@code prefpipe snapshot cache}).
 *
 * <p>A copy is removed by first renaming its folder to a hidden name, the same as a fetch in progress uses, and then
 * deleting that: a removal cut short never leaves a folder with a manifest and without all its files, which a later
 * fetch would take for a complete copy. Such leftovers, and those of fetches killed midway, are listed as incomplete.
 *
 * <p>Commands that fetch or read a copy {@linkplain #holdForReading hold the cache} meanwhile, and pruning
 * {@linkplain #holdForPruning waits} for those holds: a copy is never removed while it is read, nor a fetch in progress
 * taken for a leftover. The hold is an operating-system file lock on {@code snapshots.lock} beside the copies (shared
 * for readers, exclusive for pruning; {@link ProcessFileLock}), so it works between processes and ends with the
 * process that held it.
 */
final class SnapshotCache {
    /** The environment variable that moves the cache folder. */
    static final String CACHE_DIR_ENV = "PREFPIPE_CACHE_DIR";
    /** A fetch in progress, or a removal cut short: {@code .<name>.<uuid>.partial} (see SnapshotFetcher). */
    private static final Pattern INCOMPLETE = Pattern.compile("\\.(.+)\\.[0-9a-f-]{36}\\.partial");
    private static final String LOCK_FILE = "snapshots.lock";

    /**
     * One folder of the cache.
     *
     * @param folder the folder
     * @param location the snapshot's location, as its folder mirrors it
     * @param snapshotId the snapshot's id; {@code null} when incomplete
     * @param bytes the size of its files: for a complete copy, those its manifest names and the manifest
     * @param lastUsed when a command last used it (or, when incomplete, last wrote to it)
     */
    record Entry(Path folder, String location, String snapshotId, long bytes, Instant lastUsed) {
        boolean incomplete() {
            return snapshotId == null;
        }
    }

    private final Path snapshots;

    /** @param root the cache folder, which holds {@code snapshots/} */
    SnapshotCache(Path root) {
        this.snapshots = root.resolve("snapshots").toAbsolutePath().normalize();
    }

    /** The cache in {@code $PREFPIPE_CACHE_DIR}, else in {@code ~/.cache/prefpipe}. */
    static SnapshotCache atDefaultLocation() {
        String configured = System.getenv(CACHE_DIR_ENV);
        return new SnapshotCache(configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "prefpipe"));
    }

    /** The folder that holds the copies. */
    Path folder() {
        return snapshots;
    }

    /**
     * Where the snapshot at {@code location} is fetched: its scheme, authority and path as folders, so two locations
     * never share a folder and a person sees which copy is which.
     *
     * @throws IllegalArgumentException if the location's path would leave the cache (a {@code ..} segment)
     */
    Path folderFor(URI location) {
        Path folder = snapshots.resolve(location.getScheme());
        if (location.getRawAuthority() != null) {
            folder = folder.resolve(location.getAuthority());
        }
        for (String segment : location.getPath().split("/")) {
            if (!segment.isEmpty()) {
                folder = folder.resolve(segment);
            }
        }
        folder = folder.normalize();
        if (!folder.startsWith(snapshots) || folder.equals(snapshots)) {
            throw new IllegalArgumentException("--snapshot " + location + " has no folder of its own under "
                    + snapshots + "; give --fetch-to");
        }
        return folder;
    }

    /** Records that a command used the copy in {@code folder} now. */
    static void markUsed(Path folder) throws IOException {
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
    }

    /**
     * Holds the cache while a command fetches or reads a copy; many commands can hold it at once. Waits while the cache
     * is being pruned, telling {@code onWait} first if it has to wait.
     *
     * @throws IllegalStateException if this process is pruning the cache
     */
    ProcessFileLock holdForReading(Runnable onWait) throws IOException {
        return hold(true, onWait);
    }

    /**
     * Holds the cache alone, for pruning: waits until no command holds it for reading, telling {@code onWait} first if it
     * has to wait.
     *
     * @throws IllegalStateException if this process holds the cache already
     */
    ProcessFileLock holdForPruning(Runnable onWait) throws IOException {
        return hold(false, onWait);
    }

    private ProcessFileLock hold(boolean shared, Runnable onWait) throws IOException {
        Path file = snapshots.getParent().resolve(LOCK_FILE);
        try {
            return shared ? ProcessFileLock.shared(file, onWait) : ProcessFileLock.exclusive(file, onWait);
        } catch (ProcessFileLock.HeldByThisProcessException e) {
            throw new IllegalStateException("this process holds the snapshot cache " + file.getParent().toRealPath()
                    + " already (" + (e.heldShared() ? "reading" : "pruning") + "); it cannot also "
                    + (shared ? "read" : "prune") + " it", e);
        }
    }

    /** Every copy in the cache, and every incomplete one, least recently used first. */
    List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(snapshots)) {
            return entries;
        }
        Files.walkFileTree(snapshots, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Matcher incomplete = INCOMPLETE.matcher(dir.getFileName().toString());
                if (incomplete.matches()) {
                    entries.add(new Entry(dir, location(dir.resolveSibling(incomplete.group(1))), null,
                            bytesUnder(dir), attrs.lastModifiedTime().toInstant()));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path manifestFile = dir.resolve(SnapshotManifest.FILE_NAME);
                if (Files.isRegularFile(manifestFile)) {
                    // counted by its manifest: a copy of a location below this one may be inside its folder
                    SnapshotManifest manifest = SnapshotManifest.read(dir);
                    long bytes = Files.size(manifestFile)
                            + manifest.files().stream().mapToLong(SnapshotManifest.SnapshotFile::bytes).sum();
                    entries.add(new Entry(dir, location(dir), manifest.snapshotId(), bytes,
                            attrs.lastModifiedTime().toInstant()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(Comparator.comparing(Entry::lastUsed).thenComparing(Entry::folder));
        return entries;
    }

    /**
     * Removes the copies of {@code entries} (as {@link #entries()} listed them), complete or not, that no command has
     * used since {@code now - unusedFor}, and the folders they leave empty; but not a copy whose folder holds a copy
     * that stays. The caller {@linkplain #holdForPruning holds the cache} since before it listed the entries.
     *
     * @return the entries removed
     */
    List<Entry> prune(List<Entry> entries, Duration unusedFor, Instant now) throws IOException {
        Instant cutoff = now.minus(unusedFor);
        List<Path> kept = entries.stream().filter(e -> !e.lastUsed().isBefore(cutoff)).map(Entry::folder).toList();
        List<Entry> removed = new ArrayList<>();
        // deepest first, so a copy inside another is gone before the outer one moves
        List<Entry> deepestFirst = new ArrayList<>(entries);
        deepestFirst.sort(Comparator.comparing((Entry e) -> e.folder().getNameCount()).reversed());
        for (Entry e : deepestFirst) {
            if (e.lastUsed().isBefore(cutoff) && kept.stream().noneMatch(k -> k.startsWith(e.folder()))) {
                remove(e.folder());
                removed.add(e);
            }
        }
        return removed;
    }

    private void remove(Path folder) throws IOException {
        Path doomed = folder;
        if (!INCOMPLETE.matcher(folder.getFileName().toString()).matches()) {
            doomed = folder.resolveSibling("." + folder.getFileName() + "." + UUID.randomUUID() + ".partial");
            Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
        }
        FlinkFiles.deleteRecursively(new org.apache.flink.core.fs.Path(doomed.toUri()));
        for (Path parent = folder.getParent(); !parent.equals(snapshots) && isEmpty(parent);
                parent = parent.getParent()) {
            Files.delete(parent);
        }
    }

    /** The location whose copy is (or would be) {@code folder}: the inverse of {@link #folderFor}. */
    private String location(Path folder) {
        Path relative = snapshots.relativize(folder);
        StringBuilder s = new StringBuilder(relative.getName(0).toString()).append("://");
        for (int i = 1; i < relative.getNameCount(); i++) {
            s.append(i > 1 ? "/" : "").append(relative.getName(i));
        }
        return s.toString();
    }

    private static long bytesUnder(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }
}
