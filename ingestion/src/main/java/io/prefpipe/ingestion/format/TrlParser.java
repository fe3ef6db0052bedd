package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The preference format of Hugging Face TRL datasets with an explicit prompt, in either of its two types:
 * <ul>
 *   <li>standard: {@code {"prompt": "...", "chosen": "...", "rejected": "..."}};
 *   <li>conversational: each of the three is a list of {@code {"role": ..., "content": ...}} messages; the prompt's
 *       roles are {@code system}, {@code user} or {@code assistant}, the replies' only {@code assistant}.
 * </ul>
 * A conversational prompt is rendered to the same plain-text transcript HH-RLHF prompts have: one
 * {@code Role: content} block per message, {@code system} as {@code System}, {@code user} as {@code Human} and
 * {@code assistant} as {@code Assistant}, content stripped, blocks joined by a blank line ({@code \n\n}). A
 * conversational reply is its assistant messages' contents, stripped, joined by a blank line. The three fields must
 * all be strings or all be lists.
 *
 * <p>The chosen reply is preferred. The annotator is {@code trl}, kind HUMAN (the format does not say who judged);
 * the event id is a digest of prompt and replies; the event time is the context's default. Extra top-level fields with
 * a string, number or boolean value are kept in the metadata as {@code trl.<name>} (datasets often carry ids and
 * scores); extra fields holding objects or arrays are rejected as {@code unknown_field}, as is the implicit-prompt
 * variant without a {@code prompt} ({@code missing_field}).
 */
public final class TrlParser implements FeedbackParser {
    /** The annotator credited for TRL judgements, whose source the format does not record. */
    public static final String ANNOTATOR_ID = "trl";

    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
    private static final Map<String, String> PROMPT_ROLES = Map.of(
            "system", "System", "user", "Human", "assistant", "Assistant");

    @Override
    public ParseResult parse(String line, LineContext context) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(line), context));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    private static FeedbackEvent read(ObjectNode root, LineContext context) throws InputRejected {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source_file", context.sourceName());
        metadata.put("source_line", Long.toString(context.lineNumber()));
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            if (name.equals("prompt") || name.equals("chosen") || name.equals("rejected") || e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isValueNode()) {
                throw new InputRejected(RejectReason.UNKNOWN_FIELD, name, "unknown field '" + name
                        + "' holds " + (e.getValue().isArray() ? "an array" : "an object")
                        + "; only prompt, chosen, rejected and extra fields with a plain value are accepted");
            }
            metadata.put("trl." + name, e.getValue().asText());
        }
        JsonNode promptNode = JsonInput.required(root, "", "prompt");
        JsonNode chosenNode = JsonInput.required(root, "", "chosen");
        JsonNode rejectedNode = JsonInput.required(root, "", "rejected");
        String prompt;
        String chosen;
        String rejected;
        if (promptNode.isArray()) {
            prompt = transcript((ArrayNode) promptNode);
            chosen = reply(JsonInput.array(chosenNode, "chosen"), "chosen");
            rejected = reply(JsonInput.array(rejectedNode, "rejected"), "rejected");
        } else {
            prompt = JsonInput.text(promptNode, "prompt");
            chosen = JsonInput.text(chosenNode, "chosen");
            rejected = JsonInput.text(rejectedNode, "rejected");
        }
        notBlank(prompt, "prompt");
        notBlank(chosen, "chosen");
        notBlank(rejected, "rejected");
        return PairEvents.pair("trl-" + ContentIds.digest(List.of(prompt, chosen, rejected)), prompt, chosen, rejected,
                new Annotator(ANNOTATOR_ID, AnnotatorKind.HUMAN),
                context.defaultEventTime().truncatedTo(ChronoUnit.MILLIS), metadata);
    }

    private static String transcript(ArrayNode messages) throws InputRejected {
        List<String> blocks = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String path = JsonInput.element("prompt", i);
            ObjectNode m = JsonInput.object(messages.get(i), path);
            JsonInput.onlyFields(m, path, MESSAGE_FIELDS);
            String role = JsonInput.requiredText(m, path, "role");
            String label = PROMPT_ROLES.get(role);
            if (label == null) {
                throw new InputRejected(RejectReason.INVALID_VALUE, path + ".role", path
                        + ".role must be system, user or assistant, got '" + role + "'");
            }
            blocks.add(label + ": " + JsonInput.requiredText(m, path, "content").strip());
        }
        return String.join("\n\n", blocks);
    }

    private static String reply(ArrayNode messages, String field) throws InputRejected {
        List<String> parts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String path = JsonInput.element(field, i);
            ObjectNode m = JsonInput.object(messages.get(i), path);
            JsonInput.onlyFields(m, path, MESSAGE_FIELDS);
            String role = JsonInput.requiredText(m, path, "role");
            if (!role.equals("assistant")) {
                throw new InputRejected(RejectReason.INVALID_VALUE, path + ".role", path
                        + ".role must be assistant, got '" + role + "'");
            }
            parts.add(JsonInput.requiredText(m, path, "content").strip());
        }
        return String.join("\n\n", parts);
    }

    private static void notBlank(String text, String field) throws InputRejected {
        if (text.isBlank()) {
            throw new InputRejected(RejectReason.EMPTY_TEXT, field, field + " is empty");
        }
    }
}
