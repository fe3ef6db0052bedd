package io.prefpipe.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.TestData;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Files through the real producer into a real broker, and back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileIngestorITCase {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private String bootstrap;

    @BeforeAll
    void connect() {
        bootstrap = KAFKA.bootstrapServers();
    }

    private FeedbackProducerConfig topics() {
        String suffix = UUID.randomUUID().toString();
        FeedbackProducerConfig config = FeedbackProducerConfig.builder().setBootstrapServers(bootstrap)
                .setFeedbackTopic("feedback-" + suffix).setDeadLetterTopic("feedback.dlq-" + suffix).build();
        Topics.ensure(bootstrap, List.of(config.feedbackTopic(), config.deadLetterTopic()), 2, (short) 1);
        return config;
    }

    /** What the run into Kafka reported, and what the same run into memory received. */
    private record Ingested(IngestReport report, RecordingSink expected) {}

    /** Runs the ingestion once into Kafka and once into memory, which gives what the parser made of each line. */
    private Ingested ingestBothWays(IngestOptions options, FeedbackProducerConfig config) throws IOException {
        IngestReport report;
        try (FeedbackProducer producer = new FeedbackProducer(config)) {
            report = new FileIngestor(producer, FeedbackValidator.withDefaults(), CLOCK).run(options,
                    ProgressListener.NONE);
            assertThat(producer.eventsDelivered()).isEqualTo(report.produced());
            assertThat(producer.deadLettersDelivered()).isEqualTo(report.deadLettered());
        }
        RecordingSink expected = new RecordingSink();
        new FileIngestor(expected, FeedbackValidator.withDefaults(), CLOCK).run(options, ProgressListener.NONE);
        return new Ingested(report, expected);
    }

    private static Map<String, FeedbackEvent> eventsOn(String bootstrap, String topic) throws IOException {
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        Map<String, FeedbackEvent> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(bootstrap, topic)) {
            FeedbackEvent e = codec.decode(r.value());
            byId.put(e.getEventId(), e);
        }
        return byId;
    }

    private static List<DeadLetter> deadLettersOn(String bootstrap, String topic) throws IOException {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(bootstrap, topic)) {
            letters.add(codec.decode(r.value()));
        }
        letters.sort(Comparator.comparing(DeadLetter::getSourceLine));
        return letters;
    }

    private static List<byte[]> rawLines(Path file) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (LineReader r = LineReader.open(file, Integer.MAX_VALUE)) {
            LineReader.Line l;
            while ((l = r.next()) != null) {
                lines.add(l.bytes());
            }
        }
        return lines;
    }

    @Test
    void run_realHhRlhfFile_landsOnTheTopicsAsParsed() throws IOException {
        Path file = TestData.hhRlhfHarmlessBaseTest();
        FeedbackProducerConfig config = topics();
        Ingested both = ingestBothWays(IngestOptions.builder().setInput(file)
                .setFormat(FeedbackFormat.HH_RLHF).setEventTime(Instant.parse("2022-04-12T00:00:00Z")).build(), config);
        IngestReport report = both.report();
        RecordingSink expected = both.expected();

        assertThat(report.linesRead()).isEqualTo(2312);
        Map<String, FeedbackEvent> onTopic = eventsOn(bootstrap, config.feedbackTopic());
        assertThat(onTopic).hasSize(2303);
        assertThat(onTopic).isEqualTo(expected.events.stream()
                .collect(Collectors.toMap(FeedbackEvent::getEventId, Function.identity())));

        List<DeadLetter> dlq = deadLettersOn(bootstrap, config.deadLetterTopic());
        assertThat(dlq).isEqualTo(expected.deadLetters);
        List<byte[]> lines = rawLines(file);
        assertThat(dlq).hasSize(9).allSatisfy(d -> {
            assertThat(d.getReason()).isIn("empty_text", "unparseable_dialogue");
            assertThat(d.getField()).isIn("chosen", "rejected");
            assertThat(d.getSourceFile()).isEqualTo("harmless-base-test.jsonl.gz");
            assertThat(d.getPayload()).isEqualTo(ByteBuffer.wrap(lines.get((int) (long) d.getSourceLine() - 1)));
        });
    }

    @Test
    void run_syntheticFileWithRedeliveriesAndMalformedEvents_landsOnTheTopics() throws IOException {
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(5).setComparisons(200)
                .setJudgements(800).setRedeliveryRate(0.02).setMalformedRate(0.02).build());
        Path file = dir.resolve("synthetic.jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            new PrefpipeJsonWriter().writeLines(feedback.iterator(), w);
        }
        Files.writeString(file, "{\"event_id\": \"x\", \"colour\": \"red\"}\n", StandardOpenOption.APPEND);
        FeedbackProducerConfig config = topics();
        Ingested both = ingestBothWays(IngestOptions.builder().setInput(file)
                .setFormat(FeedbackFormat.PREFPIPE).build(), config);
        IngestReport report = both.report();
        RecordingSink expected = both.expected();

        long lines = feedback.stream().count() + 1;
        assertThat(report.linesRead()).isEqualTo(lines);
        assertThat(report.produced()).isGreaterThan(800); // redeliveries are valid events, deduplicated downstream
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestTopics.readCommitted(bootstrap, config.feedbackTopic());
        assertThat(records).hasSize((int) report.produced());
        assertThat(eventsOn(bootstrap, config.feedbackTopic())).hasSize(800);

        List<DeadLetter> dlq = deadLettersOn(bootstrap, config.deadLetterTopic());
        assertThat(dlq).isEqualTo(expected.deadLetters);
        DeadLetter last = dlq.get(dlq.size() - 1);
        assertThat(last.getSourceLine()).isEqualTo(lines);
        assertThat(last.getReason()).isEqualTo("unknown_field");
        assertThat(last.getField()).isEqualTo("colour");
    }
}
