package io.prefpipe.ingestion.file;

import io.prefpipe.ingestion.format.FeedbackParser;
import io.prefpipe.ingestion.format.LineContext;
import io.prefpipe.ingestion.format.ParseResult;
import io.prefpipe.ingestion.kafka.DeadLetters;
import io.prefpipe.ingestion.kafka.FeedbackSink;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one file: reads it line by line, parses each line with the chosen format, validates the event, and sends it
 * to the sink, or sends a dead letter (stage {@code ingest}, with the line's bytes, file name and line number) naming
 * why not. Every line is accounted for, so the report always has {@code linesRead == produced + deadLettered}:
 * <ul>
 *   <li>a blank line (empty or only whitespace) is a dead letter {@code empty_text} with no field: JSON Lines has no
 *       blank lines, so one in the middle of a file is a defect worth seeing, not noise to skip (a final
 *       {@code \n} does not make a line, see {@link LineReader});
 *   <li>bytes that are not UTF-8 are {@code invalid_utf8}; a line over {@link IngestOptions#maxLineBytes()} is
 *       {@code too_large};
 *   <li>otherwise the format's parser, then {@link FeedbackValidator}, decide.
 * </ul>
 * A trailing {@code \r} (CRLF files) and a byte order mark on the first line are ignored for parsing and kept in
 * dead-letter payloads.
 *
 * <p>The sink is flushed before {@link #run} returns, so the counts are of records Kafka acknowledged. A failed send
 * or an unreadable file ends the run with an exception; what was sent before stays sent, and a re-run is deduplicated
 * downstream by event id. The ingestor does not close the sink.
 *
 * <pre>{@code
 * try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
 *         .setBootstrapServers(bootstrap).build())) {
 *     IngestReport report = new FileIngestor(producer).run(IngestOptions.builder()
 *             .setInput(Path.of("harmless-base-test.jsonl.gz")).setFormat(FeedbackFormat.HH_RLHF).build(),
 *             p -> System.out.println(p.linesRead() + " lines"));
 * }
 * }</pre>
 */
public final class FileIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(FileIngestor.class);

    private final FeedbackSink sink;
    private final FeedbackValidator validator;
    private final Clock clock;

    /** An ingestor with the default validation limits and the system clock. */
    public FileIngestor(FeedbackSink sink) {
        this(sink, FeedbackValidator.withDefaults(), Clock.systemUTC());
    }

    /**
     * @param sink where events and dead letters go
     * @param validator the rules events must pass
     * @param clock the time of dead letters and the default event time of formats without one
     */
    public FileIngestor(FeedbackSink sink, FeedbackValidator validator, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Ingests {@code options.input()}.
     *
     * @throws IOException if the file cannot be read
     * @throws io.prefpipe.ingestion.kafka.SendFailedException if the sink fails to deliver
     */
    public IngestReport run(IngestOptions options, ProgressListener listener) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        long startNanos = System.nanoTime();
        Instant eventTime = options.eventTime().orElseGet(clock::instant);
        String source = options.input().getFileName().toString();
        FeedbackParser parser = options.format().parser();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Map<String, Long> deadByReason = new TreeMap<>();
        long read = 0;
        long produced = 0;
        LOG.info("Ingesting {} as {}", options.input(), options.format().id());
        try (LineReader lines = LineReader.open(options.input(), options.maxLineBytes())) {
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                read++;
                ParseResult result = decide(line, utf8, parser, options, new LineContext(source, line.number(),
                        eventTime));
                if (result instanceof ParseResult.Parsed parsed) {
                    sink.send(parsed.event());
                    produced++;
                } else {
                    Violation violation = ((ParseResult.Rejected) result).violation();
                    LOG.debug("{}:{} dead-lettered: {}", source, line.number(), violation);
                    sink.sendDeadLetter(DeadLetters.ofLine(line.bytes(), violation, source, line.number(),
                            clock.instant()));
                    deadByReason.merge(violation.reason().code(), 1L, Long::sum);
                    listener.onRejected(line.number(), violation);
                }
                if (read % options.progressEvery() == 0) {
                    listener.onProgress(new IngestProgress(read, produced, read - produced,
                            Duration.ofNanos(System.nanoTime() - startNanos)));
                }
            }
        }
        sink.flush();
        IngestReport report = new IngestReport(options.input(), options.format(), read, produced, deadByReason,
                Duration.ofNanos(System.nanoTime() - startNanos));
        LOG.info("Ingested {}: {} lines, {} produced, {} dead-lettered {} in {} ms", options.input(), read, produced,
                report.deadLettered(), report.deadLettersByReason(), report.elapsed().toMillis());
        return report;
    }

    /** The line's event if it is valid, else why not. */
    private ParseResult decide(LineReader.Line line, CharsetDecoder utf8, FeedbackParser parser,
            IngestOptions options, LineContext context) {
        if (line.truncated()) {
            return rejected(RejectReason.TOO_LARGE, "line has " + line.length() + " bytes, the limit is "
                    + options.maxLineBytes() + "; the dead letter holds its first " + options.maxLineBytes()
                    + " bytes");
        }
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(line.bytes())).toString();
        } catch (CharacterCodingException e) {
            return rejected(RejectReason.INVALID_UTF8, "line " + line.number() + " is not valid UTF-8: "
                    + e.getMessage());
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (line.number() == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return rejected(RejectReason.EMPTY_TEXT, "line " + line.number() + " is blank");
        }
        ParseResult result = parser.parse(text, context);
        if (result instanceof ParseResult.Parsed parsed) {
            Optional<Violation> invalid = validator.validate(parsed.event());
            if (invalid.isPresent()) {
                return new ParseResult.Rejected(invalid.get());
            }
        }
        return result;
    }

    private static ParseResult rejected(RejectReason reason, String message) {
        return new ParseResult.Rejected(new Violation(reason, null, message));
    }
}
