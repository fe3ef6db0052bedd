package io.prefpipe.ingestion.file;

import io.prefpipe.ingestion.format.FeedbackFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to ingest and how. Build with {@link #builder()}; {@code input} and {@code format} are required.
 *
 * @param input the file, plain or gzip-compressed JSON lines
 * @param format the format of its lines
 * @param eventTime the event time given to every event of a format that carries none (hh-rlhf, trl); empty means the
 *     time the run starts
 * @param progressEvery report progress after every this many lines (default 10,000)
 * @param maxLineBytes the longest line accepted (default 512 KiB); longer lines are dead-lettered as
 *     {@code too_large} with only their first {@code maxLineBytes} bytes as payload, which keeps every record below
 *     Kafka's default 1 MB message limit
 */
public record IngestOptions(Path input, FeedbackFormat format, Optional<Instant> eventTime, int progressEvery,
        int maxLineBytes) {
    public static final int DEFAULT_PROGRESS_EVERY = 10_000;
    public static final int DEFAULT_MAX_LINE_BYTES = 512 * 1024;

    public IngestOptions {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(eventTime, "eventTime");
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progressEvery must be >= 1, got " + progressEvery);
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + maxLineBytes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link IngestOptions}; each setter checks its argument at once. */
    public static final class Builder {
        private Path input;
        private FeedbackFormat format;
        private Instant eventTime;
        private int progressEvery = DEFAULT_PROGRESS_EVERY;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;

        private Builder() {}

        /** Required. */
        public Builder setInput(Path input) {
            this.input = Objects.requireNonNull(input, "input");
            return this;
        }

        /** Required. */
        public Builder setFormat(FeedbackFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder setEventTime(Instant eventTime) {
            this.eventTime = Objects.requireNonNull(eventTime, "eventTime");
            return this;
        }

        public Builder setProgressEvery(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("progressEvery must be >= 1, got " + lines);
            }
            this.progressEvery = lines;
            return this;
        }

        public Builder setMaxLineBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + bytes);
            }
            this.maxLineBytes = bytes;
            return this;
        }

        /** @throws IllegalStateException if {@code input} or {@code format} was not set */
        public IngestOptions build() {
            if (input == null) {
                throw new IllegalStateException("input is required");
            }
            if (format == null) {
                throw new IllegalStateException("format is required");
            }
            return new IngestOptions(input, format, Optional.ofNullable(eventTime), progressEvery, maxLineBytes);
        }
    }
}
