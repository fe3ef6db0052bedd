package io.prefpipe.labeling.sampling.jsonl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.labeling.sampling.RejectionSample;
import io.prefpipe.labeling.sampling.RejectionSampler;
import io.prefpipe.labeling.sampling.RsoPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs RSO over a JSON Lines file: for each prompt, {@link RejectionSampler} accepts up to n candidates and the
 * configured {@link io.prefpipe.labeling.sampling.Pairing} turns them into pairs, written as
 * {@code {"prompt", "chosen", "rejected", "chosen_reward", "rejected_reward"}} (texts and rewards), one per line, in
 * input order and, within a prompt, in pairing order.
 *
 * <p>Lines that cannot be used are refused, never dropped silently: each is counted by reason in the
 * {@link RsoReport}, listed there (up to {@link #MAX_LISTED_REFUSALS}) with its line number, field and reason, and
 * logged at WARN. Lines holding only whitespace are counted as blank. Lines end at {@code \n} (a preceding
 * {@code \r} is dropped), and a UTF-8 byte order mark on the first line is ignored.
 *
 * <p>Each prompt gets its own {@link SplittableRandom} seeded with {@link #promptSeed(long, String)}, so its pairs
 * depend only on the run seed, its text and its candidates: not on its line number, nor on other lines.
 *
 * <p>The output is written to a temporary file next to it and moved into place when the input has been read, so a
 * failed run leaves any earlier output untouched.
 */
public final class RsoFileRunner {
    /** How many refusals a report lists in full; all of them are counted. */
    public static final int MAX_LISTED_REFUSALS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RsoFileRunner.class);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private RsoFileRunner() {}

    /**
     * Runs RSO over {@code options.input()} and writes the pairs to {@code options.output()}.
     *
     * @throws IOException if the input cannot be read or the output cannot be written; bad lines do not throw
     */
    public static RsoReport run(RsoOptions options) throws IOException {
        return new Run(options).execute();
    }

    /**
     * The seed of one prompt's generator: the run seed XOR the first 8 bytes (big-endian) of the SHA-256 of the
     * prompt's UTF-8 bytes. Public so other runners (e.g. a streaming job) can reproduce this runner's results.
     */
    public static long promptSeed(long runSeed, String prompt) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(prompt.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return runSeed ^ h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The state of one run. */
    private static final class Run {
        private final RsoOptions options;
        private final RejectionSampler sampler;
        private final Map<RefusalReason, Long> refusedByReason = new EnumMap<>(RefusalReason.class);
        private final List<Refusal> refusals = new ArrayList<>();
        private long linesRead;
        private long blankLines;
        private long promptsRead;
        private long candidatesRead;
        private long accepted;
        private long promptsExhausted;
        private long pairsWritten;
        private long tiedPairs;

        Run(RsoOptions options) {
            this.options = options;
            this.sampler = new RejectionSampler(options.sampling());
        }

        RsoReport execute() throws IOException {
            long start = System.nanoTime();
            Path output = options.output().toAbsolutePath();
            Path dir = output.getParent();
            Files.createDirectories(dir);
            // Not Files.createTempFile: that makes the file owner-only (0600), and the output would keep that mode.
            Path tmp = dir.resolve("." + output.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (InputStream in = Files.newInputStream(options.input());
                        Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE)) {
                    readLines(in, out);
                }
                try {
                    Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (refusals.size() < refusedTotal()) {
                LOG.warn("{} more refused lines were not logged or listed", refusedTotal() - refusals.size());
            }
            return new RsoReport(linesRead, blankLines, promptsRead, candidatesRead, accepted, promptsExhausted,
                    pairsWritten, tiedPairs, refusedByReason, refusals, Duration.ofNanos(System.nanoTime() - start));
        }

        /** Splits the input into lines at {@code \n} bytes, so each line's UTF-8 is checked on its own. */
        private void readLines(InputStream in, Writer out) throws IOException {
            byte[] chunk = new byte[1 << 16];
            byte[] line = new byte[1 << 12];
            int lineLength = 0;
            boolean pending = false;
            int read;
            while ((read = in.read(chunk)) != -1) {
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        handleLine(line, lineLength, out);
                        lineLength = 0;
                        pending = false;
                    } else {
                        if (lineLength == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[lineLength++] = b;
                        pending = true;
                    }
                }
            }
            if (pending) {
                handleLine(line, lineLength, out);
            }
        }

        private void handleLine(byte[] bytes, int length, Writer out) throws IOException {
            long lineNumber = ++linesRead;
            int from = 0;
            if (lineNumber == 1 && length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1]
                    && bytes[2] == UTF8_BOM[2]) {
                from = 3;
            }
            int to = length > from && bytes[length - 1] == '\r' ? length - 1 : length;
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                refuse(new Refusal(lineNumber, "$", RefusalReason.INVALID_UTF8, "the line is not valid UTF-8"));
                return;
            }
            if (line.isBlank()) {
                blankLines++;
                return;
            }
            PromptLineParser.ScoredPrompt prompt;
            try {
                prompt = PromptLineParser.parse(lineNumber, line);
            } catch (PromptLineParser.RefusedLine e) {
                refuse(e.refusal());
                return;
            }
            promptsRead++;
            candidatesRead += prompt.candidates().size();
            RejectionSample sample = sampler.sample(prompt.candidates(),
                    new SplittableRandom(promptSeed(options.seed(), prompt.prompt())));
            accepted += sample.accepted().size();
            if (sample.exhausted()) {
                promptsExhausted++;
            }
            for (RsoPair pair : options.pairing().pairs(sample.candidates())) {
                ObjectNode json = PromptLineParser.MAPPER.createObjectNode();
                json.put("prompt", prompt.prompt());
                json.put("chosen", pair.chosen().text());
                json.put("rejected", pair.rejected().text());
                json.put("chosen_reward", pair.chosenReward());
                json.put("rejected_reward", pair.rejectedReward());
                out.write(PromptLineParser.MAPPER.writeValueAsString(json));
                out.write('\n');
                pairsWritten++;
                if (pair.tied()) {
                    tiedPairs++;
                }
            }
        }

        private void refuse(Refusal refusal) {
            refusedByReason.merge(refusal.reason(), 1L, Long::sum);
            if (refusals.size() < MAX_LISTED_REFUSALS) {
                refusals.add(refusal);
                LOG.warn("refused {}", refusal);
            }
        }

        private long refusedTotal() {
            return refusedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
