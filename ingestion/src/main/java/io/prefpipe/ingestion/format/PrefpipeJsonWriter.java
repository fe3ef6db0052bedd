package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@code FeedbackEvent} in the JSON form {@link PrefpipeJsonParser} reads, so that
 * {@code parse(write(e))} equals {@code e}. Fields come in the documented order; optional fields that are absent
 * ({@code policy_version}, {@code strength}, an empty {@code shown_order} or {@code metadata}, a false {@code tie})
 * are left out, and map keys are sorted so the output is deterministic. Events are written as they are, valid or not.
 * Thread-safe.
 */
public final class PrefpipeJsonWriter {
    // The caller owns the Writer: closing a line's generator must neither close nor flush it.
    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    /** The event as one line of JSON, without a line terminator. */
    public String write(FeedbackEvent event) {
        StringWriter out = new StringWriter(256 + event.getPrompt().length());
        try {
            write(event, out);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /**
     * Writes each event as one line terminated by {@code \n}.
     *
     * @return the number of lines written
     */
    public long writeLines(Iterator<? extends FeedbackEvent> events, Writer out) throws IOException {
        long n = 0;
        while (events.hasNext()) {
            write(events.next(), out);
            out.write('\n');
            n++;
        }
        out.flush();
        return n;
    }

    private void write(FeedbackEvent e, Writer out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", e.getEventId());
            g.writeStringField("comparison_id", e.getComparisonId());
            g.writeStringField("prompt", e.getPrompt());
            g.writeArrayFieldStart("responses");
            for (Response r : e.getResponses()) {
                g.writeStartObject();
                g.writeStringField("id", r.getId());
                g.writeStringField("text", r.getText());
                if (r.getPolicyVersion() != null) {
                    g.writeStringField("policy_version", r.getPolicyVersion());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("judgement");
            judgement(e.getJudgement(), g);
            if (!e.getShownOrder().isEmpty()) {
                strings("shown_order", e.getShownOrder(), g);
            }
            g.writeObjectFieldStart("annotator");
            g.writeStringField("id", e.getAnnotator().getId());
            g.writeStringField("kind", e.getAnnotator().getKind().name());
            g.writeEndObject();
            g.writeStringField("event_time", e.getEventTime().toString());
            if (!e.getMetadata().isEmpty()) {
                g.writeObjectFieldStart("metadata");
                for (Map.Entry<String, String> m : new TreeMap<>(e.getMetadata()).entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }

    private static void judgement(Object j, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (j instanceof PairwiseChoice c) {
            g.writeStringField("type", "pairwise");
            if (c.getPreferred() == null) {
                g.writeNullField("preferred");
            } else {
                g.writeStringField("preferred", c.getPreferred());
            }
            if (c.getTie()) {
                g.writeBooleanField("tie", true);
            }
            if (c.getStrength() != null) {
                g.writeNumberField("strength", c.getStrength());
            }
        } else if (j instanceof Ranking r) {
            g.writeStringField("type", "ranking");
            strings("order", r.getOrder(), g);
        } else if (j instanceof Ratings r) {
            g.writeStringField("type", "ratings");
            g.writeObjectFieldStart("scores");
            for (Map.Entry<String, Double> s : new TreeMap<>(r.getScores()).entrySet()) {
                g.writeNumberField(s.getKey(), s.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("judgement of type " + (j == null ? "null" : j.getClass().getName())
                    + " is not a PairwiseChoice, Ranking or Ratings");
        }
        g.writeEndObject();
    }

    private static void strings(String name, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
