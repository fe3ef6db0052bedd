package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a preference as one line of a TRL preference dataset, the form {@link TrlParser} reads back.
 *
 * <ul>
 *   <li>{@link Form#STANDARD}: {@code {"prompt": "...", "chosen": "...", "rejected": "..."}}, the texts as they are,
 *       so {@link TrlParser} reads back exactly the same prompt and replies.
 *   <li>{@link Form#CONVERSATIONAL}: the prompt as the messages of its transcript ({@link Transcripts#messages}; a
 *       prompt that is not a transcript becomes one {@code user} message), each reply as one {@code assistant}
 *       message. Read back, a transcript prompt is the same text; a plain prompt gains the {@code Human:} label of a
 *       user message, and replies come back stripped.
 * </ul>
 * Extra fields follow the three, in the map's order. Thread-safe.
 */
public final class TrlWriter {
    /** The two forms TRL documents for a preference dataset with an explicit prompt. */
    public enum Form {
        /** Plain strings. */
        STANDARD,
        /** Lists of {@code {"role", "content"}} messages. */
        CONVERSATIONAL
    }

    private static final Set<String> FIELDS = Set.of("prompt", "chosen", "rejected");

    private final JsonFactory factory = new JsonFactory();
    private final Form form;

    public TrlWriter(Form form) {
        this.form = Objects.requireNonNull(form, "form");
    }

    /**
     * The preference as one line of JSON, without a line terminator.
     *
     * @param extra further fields, each a String, Double, Long, Integer or Boolean; may be empty
     * @throws IllegalArgumentException if an extra field is named prompt, chosen or rejected, or holds another type
     */
    public String write(String prompt, String chosen, String rejected, Map<String, ?> extra) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        StringWriter out = new StringWriter(64 + prompt.length() + chosen.length() + rejected.length());
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            if (form == Form.STANDARD) {
                g.writeStringField("prompt", prompt);
                g.writeStringField("chosen", chosen);
                g.writeStringField("rejected", rejected);
            } else {
                messages(g, "prompt", Transcripts.messages(prompt));
                messages(g, "chosen", List.of(new ChatMessage("assistant", chosen)));
                messages(g, "rejected", List.of(new ChatMessage("assistant", rejected)));
            }
            for (Map.Entry<String, ?> e : extra.entrySet()) {
                if (FIELDS.contains(e.getKey())) {
                    throw new IllegalArgumentException("extra field '" + e.getKey() + "' would overwrite the pair");
                }
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof String s) {
                    g.writeString(s);
                } else if (v instanceof Double d) {
                    g.writeNumber(d);
                } else if (v instanceof Long || v instanceof Integer) {
                    g.writeNumber(((Number) v).longValue());
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    throw new IllegalArgumentException("extra field '" + e.getKey()
                            + "' must be a String, Double, Long, Integer or Boolean, got " + (v == null ? "null" : v.getClass().getName()));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static void messages(JsonGenerator g, String field, List<ChatMessage> messages) throws IOException {
        g.writeArrayFieldStart(field);
        for (ChatMessage m : messages) {
            g.writeStartObject();
            g.writeStringField("role", m.role());
            g.writeStringField("content", m.content());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
