package io.prefpipe.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIngestorTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String GOOD = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}";

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final FileIngestor ingestor = new FileIngestor(sink,
            new FeedbackValidator(ValidationLimits.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static String payload(DeadLetter d) {
        return StandardCharsets.UTF_8.decode(d.getPayload().duplicate()).toString();
    }

    @Test
    void run_everyKindOfBadLine_isDeadLetteredWithItsBytesAndPlace() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("\uFEFF" + GOOD + "\r\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("   \n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'{', '"', (byte) 0xC3, '"', '}', '\n'});
        bytes.writeBytes(("{\"prompt\": \"p\", \"chosen\": \"" + "y".repeat(300) + "\", \"rejected\": \"b\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"prompt\": \"p\", \"chosen\": 1, \"rejected\": \"b\"}\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"prompt\": \"p\", \"chosen\": \"same\", \"rejected\": \"same\"}".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("mixed.jsonl"), bytes.toByteArray());

        IngestReport report = ingestor.run(IngestOptions.builder().setInput(file).setFormat(FeedbackFormat.TRL)
                .setMaxLineBytes(200).build(), ProgressListener.NONE);

        assertThat(report.linesRead()).isEqualTo(6);
        assertThat(report.produced()).isEqualTo(2);
        assertThat(report.deadLettersByReason()).containsExactly(Map.entry("empty_text", 1L),
                Map.entry("invalid_utf8", 1L), Map.entry("too_large", 1L),
                Map.entry("wrong_type", 1L));
        assertThat(report.deadLettered()).isEqualTo(4);
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(sink.closed).isFalse();
        assertThat(sink.events).extracting(e -> e.getMetadata().get("source_line")).containsExactly("1", "6");
        assertThat(sink.events.get(0).getEventTime()).isEqualTo(NOW);

        assertThat(sink.deadLetters).extracting(DeadLetter::getSourceLine).containsExactly(2L, 3L, 4L, 5L);
        assertThat(sink.deadLetters).allSatisfy(d -> {
            assertThat(d.getStage()).isEqualTo("ingest");
            assertThat(d.getSourceFile()).isEqualTo("mixed.jsonl");
            assertThat(d.getDeadLetterTime()).isEqualTo(NOW);
        });
        DeadLetter blank = sink.deadLetters.get(0);
        assertThat(blank.getReason()).isEqualTo("empty_text");
        assertThat(blank.getField()).isNull();
        assertThat(payload(blank)).isEqualTo("   ");
        DeadLetter utf8 = sink.deadLetters.get(1);
        assertThat(utf8.getReason()).isEqualTo("invalid_utf8");
        assertThat(utf8.getPayload().remaining()).isEqualTo(5);
        DeadLetter large = sink.deadLetters.get(2);
        assertThat(large.getReason()).isEqualTo("too_large");
        assertThat(large.getPayload().remaining()).isEqualTo(200);
        assertThat(large.getMessage()).contains("the limit is 200");
        DeadLetter wrong = sink.deadLetters.get(3);
        assertThat(wrong.getField()).isEqualTo("chosen");
        assertThat(payload(wrong)).isEqualTo("{\"prompt\": \"p\", \"chosen\": 1, \"rejected\": \"b\"}");
    }

    @Test
    void run_syntheticFileWithMalformedEvents_deadLettersExactlyTheInvalidOnes() throws IOException {
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(3)
                .setComparisons(100).setJudgements(400).setMalformedRate(0.05).setRedeliveryRate(0.05).build());
        Path file = dir.resolve("synthetic.jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            new PrefpipeJsonWriter().writeLines(feedback.iterator(), w);
        }
        List<FeedbackEvent> all = feedback.stream().toList();
        long bad = all.stream().filter(e -> e.getEventId().startsWith("bad-")).count();
        List<Long> progress = new ArrayList<>();

        IngestReport report = ingestor.run(IngestOptions.builder().setInput(file).setFormat(FeedbackFormat.PREFPIPE)
                .setProgressEvery(100).build(), p -> progress.add(p.linesRead()));

        assertThat(bad).isPositive();
        assertThat(report.linesRead()).isEqualTo(all.size());
        assertThat(report.deadLettered()).isEqualTo(bad);
        assertThat(sink.events).isEqualTo(all.stream().filter(e -> !e.getEventId().startsWith("bad-")).toList());
        assertThat(sink.deadLetters).extracting(DeadLetter::getReason).doesNotContain("invalid_json", "wrong_type");
        assertThat(progress).startsWith(100L, 200L, 300L).hasSize(all.size() / 100);
    }

    @Test
    void run_missingFile_throws() {
        assertThatThrownBy(() -> ingestor.run(IngestOptions.builder()
                        .setInput(dir.resolve("absent.jsonl")).setFormat(FeedbackFormat.TRL).build(),
                        ProgressListener.NONE))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void builder_missingRequiredSettings_namesThem() {
        assertThatThrownBy(() -> IngestOptions.builder().setFormat(FeedbackFormat.TRL)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("input");
        assertThatThrownBy(() -> IngestOptions.builder().setProgressEvery(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("progressEvery");
    }
}
