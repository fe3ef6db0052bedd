package io.prefpipe.app.export;

import io.prefpipe.ingestion.format.TrlWriter;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.SnapshotReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Writes a curated snapshot as a TRL preference dataset: one JSON line per pair, {@code {"prompt", "chosen",
 * "rejected"}} (plain strings or conversational messages, see {@link TrlWriter}), followed, unless left out, by
 * {@code pair_id} and {@code p_chosen} (the aggregator's posterior that chosen is really preferred).
 *
 * <p>The snapshot is read with {@link SnapshotReader}: through its manifest only, each listed file checked for its
 * row count, size and SHA-256, so a snapshot whose manifest is missing or whose files do not match is refused before
 * anything is written. Lines come in pair-id order, so the same snapshot always exports to the same bytes. The file is
 * written beside its destination and moved into place when complete: a failed export leaves no partial file.
 */
public final class TrlExport {
    /** Progress is reported every this many lines. */
    public static final long PROGRESS_EVERY = 100_000;

    /**
     * What to export where.
     *
     * @param snapshot the snapshot folder (with its manifest)
     * @param out the JSONL file to create; must not exist
     * @param form plain strings or conversational messages
     * @param extraFields whether to add {@code pair_id} and {@code p_chosen} to each line
     */
    public record Options(Path snapshot, Path out, TrlWriter.Form form, boolean extraFields) {
        public Options {
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(form, "form");
        }
    }

    /**
     * What an export did.
     *
     * @param snapshotId the snapshot's id
     * @param files the data files its manifest lists, all read
     * @param pairsRead curated pairs read from those files
     * @param linesWritten lines written, one per pair
     * @param out the file written
     * @param elapsed wall time, reading included
     */
    public record Report(String snapshotId, int files, long pairsRead, long linesWritten, Path out,
            Duration elapsed) {}

    private TrlExport() {}

    /**
     * Exports {@code options.snapshot()}.
     *
     * @param progress called with the number of lines written every {@link #PROGRESS_EVERY} lines
     * @throws IOException if the manifest is missing or unreadable, a listed file is missing or does not match the
     *     manifest, {@code options.out()} exists, or writing fails
     */
    public static Report run(Options options, LongConsumer progress) throws IOException {
        long start = System.nanoTime();
        if (Files.exists(options.out())) {
            throw new FileAlreadyExistsException(options.out().toString(), null, "the export's output file exists;"
                    + " choose another --out or delete it");
        }
        PreferenceSnapshot snapshot = new SnapshotReader().read(options.snapshot());
        TrlWriter writer = new TrlWriter(options.form());
        Path dir = options.out().toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + options.out().getFileName(), ".tmp");
        long written = 0;
        try {
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (PreferenceExample pair : snapshot.examples()) {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    if (options.extraFields()) {
                        extra.put("pair_id", pair.pairId());
                        extra.put("p_chosen", pair.pChosen());
                    }
                    out.write(writer.write(pair.prompt(), pair.chosen(), pair.rejected(), extra));
                    out.write('\n');
                    if (++written % PROGRESS_EVERY == 0) {
                        progress.accept(written);
                    }
                }
            }
            Files.move(tmp, options.out(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Report(snapshot.manifest().snapshotId(), snapshot.manifest().files().size(),
                snapshot.examples().size(), written, options.out(), Duration.ofNanos(System.nanoTime() - start));
    }
}
