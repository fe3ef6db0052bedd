package io.prefpipe.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseDecomposition;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written fixtures in {@code src/test/resources/formats/} through the file ingestor: every line is either
 * produced or dead-lettered with its line number, reason and field, and each produced ranking or ratings event casts
 * exactly the pairwise votes its line states.
 */
class FormatFixturesTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingSink sink = new RecordingSink();
    private final FileIngestor ingestor = new FileIngestor(sink,
            new FeedbackValidator(ValidationLimits.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(FormatFixturesTest.class.getResource("/formats/" + name).toURI());
    }

    private IngestReport ingest(String name, FeedbackFormat format) throws Exception {
        return ingestor.run(IngestOptions.builder().setInput(fixture(name)).setFormat(format).build(),
                ProgressListener.NONE);
    }

    private static String text(FeedbackEvent e, String id) {
        return e.getResponses().stream().filter(r -> r.getId().equals(id)).map(Response::getText).findFirst()
                .orElseThrow();
    }

    @Test
    void trl_plainConversationalAndImplicitPrompt_produceTheirPairsAndDeadLetterTheRest() throws Exception {
        IngestReport report = ingest("trl.jsonl", FeedbackFormat.TRL);

        assertThat(report.linesRead()).isEqualTo(7);
        assertThat(report.produced()).isEqualTo(4);
        assertThat(sink.events).extracting(e -> e.getMetadata().get("source_line")).containsExactly("1", "2", "3", "6");
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::getSourceLine, DeadLetter::getReason, DeadLetter::getField)
                .containsExactly(tuple(4L, "missing_field", "prompt"), tuple(5L, "missing_field", "prompt"),
                        tuple(7L, "wrong_type", "rejected"));
        assertThat(sink.deadLetters).allSatisfy(d -> assertThat(d.getMessage()).isNotBlank());

        FeedbackEvent implicit = sink.events.get(2);
        assertThat(implicit.getPrompt()).isEqualTo("Human: Hi!\n\nAssistant: Hello.\n\nHuman: Name a prime.");
        assertThat(text(implicit, ((PairwiseChoice) implicit.getJudgement()).getPreferred())).isEqualTo("7");
        assertThat(implicit.getResponses()).extracting(Response::getText).containsExactlyInAnyOrder("7", "9");

        FeedbackEvent plain = sink.events.get(0);
        assertThat(plain.getPrompt()).isEqualTo("The sky is");
        assertThat(text(plain, ((PairwiseChoice) plain.getJudgement()).getPreferred())).isEqualTo(" blue.");
        assertThat(plain.getMetadata()).containsEntry("trl.id", "sky-1");
        assertThat(sink.events.get(3).getPrompt()).isEqualTo("Écris \"bonjour\"\nsur deux lignes");
    }

    @Test
    void run_listener_hearsEveryRejectedLineWithItsNumberReasonAndField() throws Exception {
        List<String> heard = new ArrayList<>();
        ingestor.run(IngestOptions.builder().setInput(fixture("ratings.jsonl")).setFormat(FeedbackFormat.RATINGS)
                .build(), new ProgressListener() {
                    @Override
                    public void onProgress(IngestProgress progress) {}

                    @Override
                    public void onRejected(long lineNumber, Violation violation) {
                        heard.add(lineNumber + " " + violation.reason().code() + " " + violation.field());
                    }
                });
        assertThat(heard).containsExactlyElementsOf(sink.deadLetters.stream()
                .map(d -> d.getSourceLine() + " " + d.getReason() + " " + d.getField()).toList());
        assertThat(heard).hasSize(5);
    }

    @Test
    void ranking_validListsBecomeOneEventEach_badOnesNameLineFieldAndReason() throws Exception {
        IngestReport report = ingest("ranking.jsonl", FeedbackFormat.RANKING);

        assertThat(report.linesRead()).isEqualTo(10);
        assertThat(report.produced()).isEqualTo(3);
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::getSourceLine, DeadLetter::getReason, DeadLetter::getField)
                .containsExactly(
                        tuple(4L, "invalid_value", "ranks"),
                        tuple(5L, "invalid_value", "responses[2]"),
                        tuple(6L, "invalid_value", "ranks[0]"),
                        tuple(7L, "invalid_value", "ranks[1]"),
                        tuple(8L, "wrong_type", "ranks[2]"),
                        tuple(9L, "invalid_value", "ranks"),
                        tuple(10L, "too_few_responses", "responses"));
        assertThat(report.deadLettersByReason()).containsExactlyInAnyOrderEntriesOf(
                Map.of("invalid_value", 5L, "wrong_type", 1L, "too_few_responses", 1L));

        assertThat(sink.events.get(0).getJudgement()).isInstanceOf(Ranking.class);
        assertThat(sink.events.get(1).getJudgement()).as("ties").isInstanceOf(Ratings.class);
        assertThat(sink.events.get(2).getAnnotator().getId()).isEqualTo("ann-7");
        assertThat(sink.events.get(2).getMetadata()).containsEntry("ranking.batch", "4");
        assertEveryEventVotesAsItsLineSays("ranking.jsonl", "ranks", -1);
    }

    @Test
    void ratings_validLinesBecomeOneEventEach_badOnesNameLineFieldAndReason() throws Exception {
        IngestReport report = ingest("ratings.jsonl", FeedbackFormat.RATINGS);

        assertThat(report.linesRead()).isEqualTo(7);
        assertThat(report.produced()).isEqualTo(2);
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::getSourceLine, DeadLetter::getReason, DeadLetter::getField)
                .containsExactly(
                        tuple(3L, "invalid_value", "scores[1]"),
                        tuple(4L, "invalid_value", "scale"),
                        tuple(5L, "wrong_type", "scores[0]"),
                        tuple(6L, "invalid_value", "scores"),
                        tuple(7L, "empty_text", "responses[1]"));

        FeedbackEvent scaled = sink.events.get(1);
        assertThat(scaled.getMetadata()).containsEntry("scale_min", "1").containsEntry("scale_max", "7")
                .containsEntry("ratings.model", "gpt-x");
        assertThat(scaled.getAnnotator().getId()).isEqualTo("judge-gpt");
        assertEveryEventVotesAsItsLineSays("ratings.jsonl", "scores", +1);
    }

    /**
     * For every produced event, the votes curation derives from it (by response text) equal the ones its source line
     * states: on every pair of responses the better value wins and equal values tie.
     *
     * @param sign +1 when higher values are better (scores), -1 when lower are (ranks)
     */
    private void assertEveryEventVotesAsItsLineSays(String fixture, String valuesField, int sign) throws IOException,
            URISyntaxException {
        List<String> lines = Files.readAllLines(fixture(fixture));
        assertThat(sink.events).isNotEmpty();
        for (FeedbackEvent e : sink.events) {
            JsonNode line = JSON.readTree(lines.get(Integer.parseInt(e.getMetadata().get("source_line")) - 1));
            Map<String, Double> value = new HashMap<>();
            for (int i = 0; i < line.get("responses").size(); i++) {
                value.put(line.get("responses").get(i).asText(), sign * line.get(valuesField).get(i).asDouble());
            }
            Map<String, String> expected = new HashMap<>();
            for (String a : value.keySet()) {
                for (String b : value.keySet()) {
                    if (a.compareTo(b) < 0) {
                        int cmp = Double.compare(value.get(a), value.get(b));
                        expected.put(a + " | " + b, cmp == 0 ? "tie" : cmp > 0 ? a : b);
                    }
                }
            }
            Map<String, String> actual = new HashMap<>();
            for (PairwiseVote v : PairwiseDecomposition.votes(FeedbackMapping.toObserved(e).judgement())) {
                String first = text(e, v.pair().first());
                String second = text(e, v.pair().second());
                String winner = v.outcome() == Outcome.TIE ? "tie"
                        : v.outcome() == Outcome.FIRST ? first : second;
                actual.put(first.compareTo(second) < 0 ? first + " | " + second : second + " | " + first, winner);
            }
            assertThat(actual).as("votes of line %s", e.getMetadata().get("source_line"))
                    .containsExactlyInAnyOrderEntriesOf(expected);
        }
    }
}
