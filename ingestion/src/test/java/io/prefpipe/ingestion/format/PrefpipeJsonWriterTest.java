package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefpipeJsonWriterTest {
    private final PrefpipeJsonWriter writer = new PrefpipeJsonWriter();
    private final PrefpipeJsonParser parser = new PrefpipeJsonParser();

    private FeedbackEvent roundTrip(FeedbackEvent e) {
        ParseResult r = parser.parse(writer.write(e));
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).event();
    }

    private static FeedbackEvent event(Object judgement) {
        return FeedbackEvent.newBuilder()
                .setEventId("e-1").setComparisonId("c-1").setPrompt("Quote \" backslash \\ newline \n unicode é 日本")
                .setResponses(List.of(Response.newBuilder().setId("r1").setText("a\tb").setPolicyVersion("v3").build(),
                        Response.newBuilder().setId("r2").setText("\u0000control").build(),
                        Response.newBuilder().setId("r3").setText("emoji \uD83D\uDE00").build()))
                .setJudgement(judgement)
                .setShownOrder(List.of("r3", "r1", "r2"))
                .setAnnotator(new Annotator("ann-1", AnnotatorKind.AI_JUDGE))
                .setEventTime(Instant.parse("2026-11-28T10:00:00.123Z"))
                .setMetadata(Map.of("z", "last", "a", "first"))
                .build();
    }

    @Test
    void write_thenParse_givesTheSameEventForEveryJudgementType() {
        for (Object j : List.of(PairwiseChoice.newBuilder().setPreferred("r2").setStrength(0.25).build(),
                PairwiseChoice.newBuilder().setTie(true).build(),
                new Ranking(List.of("r2", "r3", "r1")),
                new Ratings(Map.of("r1", 1.0, "r2", -2.5, "r3", 1e-9)))) {
            FeedbackEvent e = event(j);
            assertThat(roundTrip(e)).isEqualTo(e);
        }
    }

    @Test
    void parse_thenWrite_reproducesCanonicalJson() {
        String canonical = "{\"event_id\":\"e-1029\",\"comparison_id\":\"c-77\",\"prompt\":\"How do I reset my password?\","
                + "\"responses\":[{\"id\":\"r1\",\"text\":\"Open Settings, then ...\",\"policy_version\":\"v3\"},"
                + "{\"id\":\"r2\",\"text\":\"I can't help with that.\"}],"
                + "\"judgement\":{\"type\":\"pairwise\",\"preferred\":\"r1\",\"strength\":0.8},"
                + "\"shown_order\":[\"r2\",\"r1\"],\"annotator\":{\"id\":\"ann-7\",\"kind\":\"HUMAN\"},"
                + "\"event_time\":\"2026-11-28T10:00:00Z\",\"metadata\":{\"a\":\"1\",\"b\":\"2\"}}";
        FeedbackEvent e = ((ParseResult.Parsed) parser.parse(canonical)).event();
        assertThat(writer.write(e)).isEqualTo(canonical);
        assertThat(writer.write(((ParseResult.Parsed) parser.parse(PrefpipeJsonParserTest.EXAMPLE)).event()))
                .isEqualTo(canonical.replace(",\"metadata\":{\"a\":\"1\",\"b\":\"2\"}", ""));
    }

    @Test
    void writeLines_syntheticEvents_roundTripLineByLine() throws Exception {
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(7)
                .setComparisons(50).setJudgements(200).setMalformedRate(0.1).build());
        StringWriter out = new StringWriter();
        long n = writer.writeLines(feedback.iterator(), out);
        List<String> lines = out.toString().lines().toList();
        List<FeedbackEvent> expected = feedback.stream().toList();
        assertThat(lines).hasSize((int) n).hasSize(expected.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(((ParseResult.Parsed) parser.parse(lines.get(i))).event()).isEqualTo(expected.get(i));
        }
    }
}
