package io.prefpipe.app;

import io.prefpipe.ingestion.file.FileIngestor;
import io.prefpipe.ingestion.file.IngestOptions;
import io.prefpipe.ingestion.file.IngestProgress;
import io.prefpipe.ingestion.file.IngestReport;
import io.prefpipe.ingestion.file.ProgressListener;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.validate.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reads a JSONL file of feedback, validates it and produces it to Kafka; every bad line is dead-lettered. */
@Command(
        name = "ingest",
        header = "Validates a JSONL file of feedback and produces it to Kafka.",
        mixinStandardHelpOptions = true,
        description = {
            "Parses a JSONL file (plain or gzip) of feedback, validates each line and produces valid events as Avro to",
            "the feedback topic with an idempotent producer; every line that cannot become a valid event goes to the",
            "dead-letter topic with its reason. Prints the first 20 rejected lines (line, reason, field), then counts:",
            "read, produced, dead-lettered by reason."
        })
final class IngestCommand implements Callable<Integer> {
    private static final int SHOWN_REJECTIONS = 20;

    @Option(names = "--format", required = true, description = "hh-rlhf, trl, ranking, ratings or prefpipe.",
            converter = FormatConverter.class)
    FeedbackFormat format;

    @Option(names = "--input", required = true, description = "JSONL file, plain or gzip-compressed.")
    Path input;

    @Mixin KafkaOptions kafka;

    @Mixin TopicOptions topics;

    @Override
    public Integer call() throws Exception {
        // the first thing that can wait, up to a minute, on a broker that does not answer
        System.out.printf("ingesting %s (%s) into '%s' on %s ...%n", input, format.id(), topics.feedback,
                kafka.bootstrap);
        Topics.ensure(kafka.bootstrap, List.of(topics.feedback, topics.deadLetters), 2, (short) 1);
        IngestReport report;
        try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(kafka.bootstrap)
                .setFeedbackTopic(topics.feedback)
                .setDeadLetterTopic(topics.deadLetters)
                .build())) {
            report = new FileIngestor(producer).run(IngestOptions.builder().setInput(input).setFormat(format).build(),
                    new ConsoleProgress());
        }
        System.out.printf("read %d lines of %s (%s): produced %d to '%s', dead-lettered %d to '%s' in %.1f s%n",
                report.linesRead(), report.input(), report.format().id(), report.produced(), topics.feedback,
                report.deadLettered(), topics.deadLetters, report.elapsed().toMillis() / 1000.0);
        report.deadLettersByReason().forEach((reason, n) -> System.out.printf("  dead-lettered %-24s %d%n", reason, n));
        if (report.deadLettered() > SHOWN_REJECTIONS) {
            System.out.printf("  (the first %d rejected lines are listed above; every one is on '%s' with its line,"
                    + " field and reason)%n", SHOWN_REJECTIONS, topics.deadLetters);
        }
        return 0;
    }

    /** Prints progress, and the first {@value #SHOWN_REJECTIONS} rejected lines with their reason and field. */
    private static final class ConsoleProgress implements ProgressListener {
        private static final int MAX_MESSAGE_CHARS = 200;
        private long rejected;

        @Override
        public void onProgress(IngestProgress p) {
            System.out.printf("... %d lines read, %d produced, %d dead-lettered (%.1f s)%n", p.linesRead(),
                    p.produced(), p.deadLettered(), p.elapsed().toMillis() / 1000.0);
        }

        @Override
        public void onRejected(long lineNumber, Violation violation) {
            if (++rejected <= SHOWN_REJECTIONS) {
                String message = violation.message();
                if (message.length() > MAX_MESSAGE_CHARS) {
                    message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
                }
                System.out.printf("  line %d: %s%s: %s%n", lineNumber, violation.reason().code(),
                        violation.field() == null ? "" : " at " + violation.field(), message);
            }
        }
    }

    /** Accepts the format ids used in the docs ({@code hh-rlhf}), not the enum constant names. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<FeedbackFormat> {
        @Override
        public FeedbackFormat convert(String value) {
            return FeedbackFormat.fromId(value);
        }
    }
}
