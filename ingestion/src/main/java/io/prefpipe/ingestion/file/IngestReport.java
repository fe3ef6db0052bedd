package io.prefpipe.ingestion.file;

import io.prefpipe.ingestion.format.FeedbackFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link FileIngestor} run did. Every line read was either produced or dead-lettered:
 * {@code linesRead == produced + deadLettered()}.
 *
 * @param input the file
 * @param format its format
 * @param linesRead lines read
 * @param produced valid events sent and acknowledged
 * @param deadLettersByReason dead letters sent and acknowledged, by reason code, sorted by code
 * @param elapsed wall time of the run
 */
public record IngestReport(Path input, FeedbackFormat format, long linesRead, long produced,
        Map<String, Long> deadLettersByReason, Duration elapsed) {
    public IngestReport {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(elapsed, "elapsed");
        deadLettersByReason = Collections.unmodifiableMap(new TreeMap<>(deadLettersByReason));
        long dead = deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        if (linesRead != produced + dead) {
            throw new IllegalArgumentException("linesRead (" + linesRead + ") must equal produced (" + produced
                    + ") + dead-lettered (" + dead + ")");
        }
    }

    /** Lines dead-lettered, over all reasons. */
    public long deadLettered() {
        return linesRead - produced;
    }

    /** Dead letters with this reason code, e.g. {@code empty_text}; 0 if none. */
    public long deadLettered(String reasonCode) {
        return deadLettersByReason.getOrDefault(reasonCode, 0L);
    }
}
