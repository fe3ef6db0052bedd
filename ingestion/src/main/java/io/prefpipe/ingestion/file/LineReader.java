package io.prefpipe.ingestion.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads a file as raw lines, streaming, with 1-based line numbers. Gzip input is recognised by its magic bytes
 * ({@code 1f 8b}), not by its name. Lines are split at {@code \n} and handed over as bytes, undecoded, so that a dead
 * letter can carry exactly what the file held; a {@code \n} at the very end of the file does not start another line.
 * A line longer than {@code maxLineBytes} is cut to that length and flagged, so one runaway line cannot exhaust memory.
 * Not thread-safe.
 */
public final class LineReader implements AutoCloseable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final InputStream in;
    private final int maxLineBytes;
    private final boolean gzip;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1024];
    private long lineNumber;

    /**
     * One line.
     *
     * @param number 1-based line number
     * @param bytes the line without its {@code \n}, at most {@code maxLineBytes} of it; owned by this record
     * @param length the full length of the line in bytes
     */
    public record Line(long number, byte[] bytes, long length) {
        /** Whether the line was longer than the reader's limit and {@link #bytes()} holds only its start. */
        public boolean truncated() {
            return length > bytes.length;
        }
    }

    private LineReader(InputStream in, boolean gzip, int maxLineBytes) {
        this.in = in;
        this.gzip = gzip;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Opens {@code file}, decompressing it if it starts with the gzip magic bytes.
     *
     * @param maxLineBytes the longest line kept whole, at least 1
     */
    public static LineReader open(Path file, int maxLineBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + maxLineBytes);
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_1 && raw.read() == GZIP_MAGIC_2;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new LineReader(in, gzip, maxLineBytes);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Whether the file is gzip-compressed. */
    public boolean gzip() {
        return gzip;
    }

    /** The next line, or {@code null} at the end of the file. */
    public Line next() throws IOException {
        int kept = 0;
        long length = 0;
        while (true) {
            if (chunkPos == chunkEnd && !fill()) {
                if (length == 0) {
                    return null;
                }
                break;
            }
            int start = chunkPos;
            int newline = start;
            while (newline < chunkEnd && chunk[newline] != '\n') {
                newline++;
            }
            int run = newline - start;
            int keep = (int) Math.min(run, (long) maxLineBytes - kept);
            if (keep > 0) {
                if (kept + keep > line.length) {
                    long grown = Math.max((long) line.length * 2, kept + keep);
                    line = Arrays.copyOf(line, (int) Math.min(grown, maxLineBytes));
                }
                System.arraycopy(chunk, start, line, kept, keep);
                kept += keep;
            }
            length += run;
            if (newline < chunkEnd) {
                chunkPos = newline + 1;
                break;
            }
            chunkPos = chunkEnd;
        }
        return new Line(++lineNumber, Arrays.copyOf(line, kept), length);
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk);
        if (n <= 0) {
            return false;
        }
        chunkPos = 0;
        chunkEnd = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
