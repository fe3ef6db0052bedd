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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The preference format of Hugging Face TRL datasets, in the forms TRL documents for its preference type:
 * <ul>
 *   <li>standard: {@code {"prompt": "...", "chosen": "...", "rejected": "..."}}, the strings taken as they are;
 *   <li>conversational: each of the three is a list of {@code {"role": ..., "content": ...}} messages; the prompt's
 *       roles are {@code system}, {@code user} or {@code assistant}, the replies' only {@code assistant};
 *   <li>conversational with an implicit prompt: only {@code chosen} and {@code rejected}, each a whole conversation.
 *       As TRL's {@code extract_prompt} does, the prompt is the longest run of leading messages the two share
 *       (same role, same content) and the replies are what follows it.
 * </ul>
 * A conversational prompt becomes the plain-text transcript of {@link Transcripts#render} (the form HH-RLHF prompts
 * have, e.g. {@code System: Be brief.\n\nHuman: What colour is the sky?}); a conversational reply is its assistant
 * messages' contents, stripped, joined by a blank line. With a prompt, the three fields must all be strings or all be
 * lists.
 *
 * <p>The standard form with an implicit prompt (two plain strings) is refused as {@code missing_field} on
 * {@code prompt}: TRL splits it at the longest common character prefix, which cuts words apart ("The sky is b" +
 * "lue."); plain-text dialogues with turn markers are the {@code hh-rlhf} format.
 *
 * <p>The chosen reply is preferred. The annotator is {@code trl}, kind HUMAN (the format does not say who judged);
 * the event id is a digest of prompt and replies; the event time is the context's default. Extra top-level fields with
 * a string, number or boolean value are kept in the metadata as {@code trl.<name>} (datasets often carry ids and
 * scores); extra fields holding objects or arrays are rejected as {@code unknown_field}.
 */
public final class TrlParser implements FeedbackParser {
    /** The annotator credited for TRL judgements, whose source the format does not record. */
    public static final String ANNOTATOR_ID = "trl";

    private static final Set<String> FIELDS = Set.of("prompt", "chosen", "rejected");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");

    @Override
    public ParseResult parse(String line, LineContext context) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(line), context));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    private static FeedbackEvent read(ObjectNode root, LineContext context) throws InputRejected {
        Map<String, String> metadata = JsonInput.sourceMetadata(context);
        JsonInput.extraValues(root, FIELDS, "trl.", metadata);
        JsonNode promptNode = JsonInput.optional(root, "prompt");
        JsonNode chosenNode = JsonInput.required(root, "", "chosen");
        JsonNode rejectedNode = JsonInput.required(root, "", "rejected");
        String prompt;
        String chosen;
        String rejected;
        if (promptNode == null) {
            if (!chosenNode.isArray() || !rejectedNode.isArray()) {
                throw new InputRejected(RejectReason.MISSING_FIELD, "prompt", "prompt is required unless chosen and"
                        + " rejected are conversations (lists of messages) sharing their first messages; plain-text"
                        + " dialogues with Human:/Assistant: turns are the hh-rlhf format");
            }
            List<ChatMessage> chosenMessages = messages((ArrayNode) chosenNode, "chosen");
            List<ChatMessage> rejectedMessages = messages((ArrayNode) rejectedNode, "rejected");
            int shared = 0;
            while (shared < chosenMessages.size() && shared < rejectedMessages.size()
                    && chosenMessages.get(shared).equals(rejectedMessages.get(shared))) {
                shared++;
            }
            if (shared == 0) {
                throw new InputRejected(RejectReason.MISSING_FIELD, "prompt", "prompt is absent and chosen and"
                        + " rejected do not start with the same message, so there is no shared prompt to take");
            }
            prompt = transcript(chosenMessages.subList(0, shared), "chosen");
            chosen = reply(chosenMessages, shared, "chosen");
            rejected = reply(rejectedMessages, shared, "rejected");
        } else if (promptNode.isArray()) {
            List<ChatMessage> promptMessages = messages((ArrayNode) promptNode, "prompt");
            prompt = transcript(promptMessages, "prompt");
            chosen = reply(messages(JsonInput.array(chosenNode, "chosen"), "chosen"), 0, "chosen");
            rejected = reply(messages(JsonInput.array(rejectedNode, "rejected"), "rejected"), 0, "rejected");
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

    private static List<ChatMessage> messages(ArrayNode array, String field) throws InputRejected {
        List<ChatMessage> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String path = JsonInput.element(field, i);
            ObjectNode m = JsonInput.object(array.get(i), path);
            JsonInput.onlyFields(m, path, MESSAGE_FIELDS);
            out.add(new ChatMessage(JsonInput.requiredText(m, path, "role"),
                    JsonInput.requiredText(m, path, "content")));
        }
        return out;
    }

    /** The transcript of prompt messages, which {@code field} holds from index 0. */
    private static String transcript(List<ChatMessage> messages, String field) throws InputRejected {
        for (int i = 0; i < messages.size(); i++) {
            if (!Transcripts.isRole(messages.get(i).role())) {
                String path = JsonInput.element(field, i) + ".role";
                throw new InputRejected(RejectReason.INVALID_VALUE, path, path
                        + " must be system, user or assistant, got '" + messages.get(i).role() + "'");
            }
        }
        return Transcripts.render(messages);
    }

    /** The reply made of {@code messages} from index {@code from} on. */
    private static String reply(List<ChatMessage> messages, int from, String field) throws InputRejected {
        List<String> parts = new ArrayList<>(messages.size() - from);
        for (int i = from; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (!m.role().equals("assistant")) {
                String path = JsonInput.element(field, i) + ".role";
                throw new InputRejected(RejectReason.INVALID_VALUE, path, path + " must be assistant, got '"
                        + m.role() + "'" + (from > 0 ? " (the reply starts after the " + from
                                + " messages chosen and rejected share)" : ""));
            }
            parts.add(m.content().strip());
        }
        if (parts.isEmpty() && from > 0) {
            throw new InputRejected(RejectReason.EMPTY_TEXT, field, field + " has no message after the " + from
                    + " messages it shares with the other reply");
        }
        return String.join("\n\n", parts);
    }

    private static void notBlank(String text, String field) throws InputRejected {
        if (text.isBlank()) {
            throw new InputRejected(RejectReason.EMPTY_TEXT, field, field + " is empty");
        }
    }
}
