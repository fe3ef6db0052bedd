package io.prefpipe.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.TestData;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real HH-RLHF harmless-base test split, read in place: every number here is stated in ingestion/HH-RLHF.md. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HhRlhfRealDataTest {
    private final RecordingSink sink = new RecordingSink();
    private IngestReport report;

    @BeforeAll
    void ingest() throws IOException {
        Path file = TestData.hhRlhfHarmlessBaseTest();
        report = new FileIngestor(sink).run(IngestOptions.builder().setInput(file).setFormat(FeedbackFormat.HH_RLHF)
                .setEventTime(Instant.parse("2022-04-12T00:00:00Z")).build(), ProgressListener.NONE);
    }

    @Test
    void run_everyLineIsAccountedFor() {
        assertThat(report.linesRead()).isEqualTo(2312);
        assertThat(report.produced()).isEqualTo(2303);
        assertThat(report.deadLettersByReason()).containsExactly(Map.entry("empty_text", 4L),
                Map.entry("unparseable_dialogue", 5L));
        assertThat(sink.events).hasSize(2303);
        assertThat(sink.deadLetters).hasSize(9);
    }

    @Test
    void run_emptyFinalTurns_areAllInChosen() {
        assertThat(sink.deadLetters).filteredOn(d -> d.getReason().equals("empty_text"))
                .extracting(d -> d.getSourceLine() + ":" + d.getField())
                .containsExactly("87:chosen", "517:chosen", "926:chosen", "1104:chosen");
    }

    @Test
    void run_repliesWithTheirOwnAssistantTurn_areUnparseableAndNamed() {
        List<DeadLetter> unparseable = sink.deadLetters.stream()
                .filter(d -> d.getReason().equals("unparseable_dialogue")).toList();
        assertThat(unparseable).extracting(d -> d.getSourceLine() + ":" + d.getField())
                .containsExactly("1255:chosen", "1689:chosen", "1951:rejected", "1953:chosen", "2037:chosen");
        assertThat(unparseable).allSatisfy(d -> assertThat(d.getMessage()).contains("contains another"));
    }

    @Test
    void run_quirksThatPass_areCounted() {
        // no record has identical dialogues or identical final turns
        assertThat(sink.events).noneMatch(e -> e.getResponses().get(0).getText()
                .equals(e.getResponses().get(1).getText()));
        // a reply that continues the dialogue inline ("...  Human: ...") is still one reply
        Pattern inlineHuman = Pattern.compile("Human:");
        assertThat(sink.events).filteredOn(e -> e.getResponses().stream()
                .anyMatch(r -> inlineHuman.matcher(r.getText()).find())).hasSize(31);
        assertThat(sink.events).filteredOn(e -> e.getResponses().stream()
                .anyMatch(r -> r.getText().contains("Human:") && isPreferred(e, r))).hasSize(20);
        // a reply holding "\nAssistant:" after a single newline, which is no turn boundary
        assertThat(sink.events).filteredOn(e -> e.getResponses().stream().anyMatch(r -> r.getText().contains("Assistant:")))
                .extracting(e -> e.getMetadata().get("source_line")).containsExactly("1561");
        // two Assistant turns in a row inside the shared prompt
        assertThat(sink.events).filteredOn(e -> Pattern.compile("\n\nAssistant:[^\n]*(\n(?!\nHuman:)[^\n]*)*\n\nAssistant:")
                .matcher(e.getPrompt()).find()).extracting(e -> e.getMetadata().get("source_line"))
                .containsExactly("668", "764", "1320", "1850");
    }

    private static boolean isPreferred(FeedbackEvent e, Response r) {
        return r.getId().equals(((PairwiseChoice) e.getJudgement()).getPreferred());
    }

    @Test
    void run_idsAreUniqueAndStable() {
        Set<String> ids = new HashSet<>();
        for (FeedbackEvent e : sink.events) {
            assertThat(ids.add(e.getEventId())).as(e.getEventId()).isTrue();
            assertThat(e.getResponses()).extracting(Response::getId).containsExactly("r1", "r2");
        }
        assertThat(sink.events.stream().map(FeedbackEvent::getComparisonId).distinct().count()).isEqualTo(2303);
        assertThat(sink.events.stream().map(FeedbackEvent::getPrompt).distinct().count()).isEqualTo(2301);
    }
}
