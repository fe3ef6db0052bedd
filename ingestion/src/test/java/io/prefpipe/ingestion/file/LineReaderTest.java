package io.prefpipe.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {
    @TempDir
    Path dir;

    private static List<String> read(Path file, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineReader r = LineReader.open(file, max)) {
            LineReader.Line l;
            while ((l = r.next()) != null) {
                out.add(l.number() + ":" + new String(l.bytes(), StandardCharsets.UTF_8)
                        + (l.truncated() ? "+" + (l.length() - l.bytes().length) : ""));
            }
        }
        return out;
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    @Test
    void next_plainFile_numbersLinesAndKeepsBlankOnes() throws IOException {
        Path file = write("a.txt", "one\n\ntwo\r\nthree".getBytes(StandardCharsets.UTF_8), false);
        assertThat(read(file, 100)).containsExactly("1:one", "2:", "3:two\r", "4:three");
    }

    @Test
    void next_finalNewline_doesNotStartAnotherLine() throws IOException {
        assertThat(read(write("a.txt", "one\ntwo\n".getBytes(StandardCharsets.UTF_8), false), 100))
                .containsExactly("1:one", "2:two");
        assertThat(read(write("b.txt", new byte[0], false), 100)).isEmpty();
        assertThat(read(write("c.txt", "\n".getBytes(StandardCharsets.UTF_8), false), 100)).containsExactly("1:");
    }

    @Test
    void open_gzipIsDetectedByMagicBytesNotName() throws IOException {
        Path gz = write("looks-plain.jsonl", "x\ny\n".getBytes(StandardCharsets.UTF_8), true);
        try (LineReader r = LineReader.open(gz, 100)) {
            assertThat(r.gzip()).isTrue();
        }
        assertThat(read(gz, 100)).containsExactly("1:x", "2:y");
        Path plain = write("looks-gzipped.jsonl.gz", "x\n".getBytes(StandardCharsets.UTF_8), false);
        try (LineReader r = LineReader.open(plain, 100)) {
            assertThat(r.gzip()).isFalse();
        }
        assertThat(read(write("one-byte", new byte[] {0x1f}, false), 100)).hasSize(1);
    }

    @Test
    void next_longLine_isCutAndFlaggedAndTheNextLineIsIntact() throws IOException {
        String longLine = "x".repeat(200_000);
        Path file = write("long.txt", (longLine + "\nshort\n").getBytes(StandardCharsets.UTF_8), false);
        assertThat(read(file, 10)).containsExactly("1:xxxxxxxxxx+199990", "2:short");
        assertThat(read(file, 300_000)).containsExactly("1:" + longLine, "2:short");
    }

    @Test
    void open_badLimit_isRejected() {
        assertThatThrownBy(() -> LineReader.open(dir.resolve("x"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineBytes");
    }
}
