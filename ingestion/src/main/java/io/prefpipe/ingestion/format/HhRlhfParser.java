package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's HH-RLHF format: {@code {"chosen": dialogue, "rejected": dialogue}}, each dialogue a transcript
 * {@code \n\nHuman: ...\n\nAssistant: ...} of one or more turns, the two sharing everything but the final Assistant
 * turn.
 *
 * <p>Each dialogue is split at its last {@code \n\nAssistant:}. The text before it, stripped, is the prompt (for
 * example {@code Human: Hi\n\nAssistant: Hello\n\nHuman: How are you?}); the text after it, stripped, is the response.
 * The chosen response is preferred. The annotator is {@code hh-rlhf} of kind HUMAN; the event id is a digest of the
 * two dialogues, so the same record gets the same id from any file; the event time is the context's default; the
 * metadata records the source file and line.
 *
 * <p>Records that do not split cleanly are rejected (see {@code ingestion/HH-RLHF.md} for what the real data holds):
 * <ul>
 *   <li>{@code unparseable_dialogue}: a dialogue without {@code \n\nAssistant:}, without a Human turn before it, or
 *       two dialogues whose text before the last {@code \n\nAssistant:} differs. The field names the dialogue whose
 *       last {@code \n\nAssistant:} lies past the point where the two diverge, i.e. inside what should be its reply.
 *   <li>{@code empty_text}: a final Assistant turn that is empty.
 * </ul>
 * Two identical dialogues are let through: structurally valid, curation filters them as identical responses.
 */
public final class HhRlhfParser implements FeedbackParser {
    /** The annotator credited for every HH-RLHF judgement: Anthropic's crowdworkers, as one source. */
    public static final String ANNOTATOR_ID = "hh-rlhf";

    private static final String ASSISTANT = "\n\nAssistant:";
    private static final Set<String> FIELDS = Set.of("chosen", "rejected");

    @Override
    public ParseResult parse(String line, LineContext context) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(line), context));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    private static FeedbackEvent read(ObjectNode root, LineContext context) throws InputRejected {
        JsonInput.onlyFields(root, "", FIELDS);
        String chosen = JsonInput.requiredText(root, "", "chosen");
        String rejected = JsonInput.requiredText(root, "", "rejected");
        int chosenSplit = split(chosen, "chosen");
        int rejectedSplit = split(rejected, "rejected");
        String prompt = chosen.substring(0, chosenSplit);
        if (!prompt.equals(rejected.substring(0, rejectedSplit))) {
            throw divergent(chosen, chosenSplit, rejected, rejectedSplit);
        }
        String chosenReply = reply(chosen, chosenSplit, "chosen");
        String rejectedReply = reply(rejected, rejectedSplit, "rejected");
        return PairEvents.pair("hh-" + ContentIds.digest(List.of(chosen, rejected)), prompt.strip(), chosenReply,
                rejectedReply, new Annotator(ANNOTATOR_ID, AnnotatorKind.HUMAN),
                context.defaultEventTime().truncatedTo(ChronoUnit.MILLIS),
                Map.of("source_file", context.sourceName(), "source_line", Long.toString(context.lineNumber())));
    }

    /** Where the final Assistant turn starts. */
    private static int split(String dialogue, String field) throws InputRejected {
        int at = dialogue.lastIndexOf(ASSISTANT);
        if (at < 0) {
            throw new InputRejected(RejectReason.UNPARSEABLE_DIALOGUE, field, field
                    + " has no '\\n\\nAssistant:' turn");
        }
        if (!dialogue.substring(0, at).strip().startsWith("Human:")) {
            throw new InputRejected(RejectReason.UNPARSEABLE_DIALOGUE, field, field
                    + " does not start with a 'Human:' turn before its final Assistant turn");
        }
        return at;
    }

    private static String reply(String dialogue, int split, String field) throws InputRejected {
        String reply = dialogue.substring(split + ASSISTANT.length()).strip();
        if (reply.isEmpty()) {
            throw new InputRejected(RejectReason.EMPTY_TEXT, field, "the final Assistant turn of " + field
                    + " is empty");
        }
        return reply;
    }

    private static InputRejected divergent(String chosen, int chosenSplit, String rejected, int rejectedSplit) {
        int common = 0;
        int max = Math.min(chosen.length(), rejected.length());
        while (common < max && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        // A dialogue whose prompt is not a prefix of the other dialogue split inside its own reply: that reply holds
        // an extra "\n\nAssistant:" turn of its own.
        boolean chosenPast = !rejected.startsWith(chosen.substring(0, chosenSplit));
        boolean rejectedPast = !chosen.startsWith(rejected.substring(0, rejectedSplit));
        String field = chosenPast == rejectedPast ? null : chosenPast ? "chosen" : "rejected";
        String culprit = field == null ? "" : "; the final Assistant turn of " + field
                + " contains another '\\n\\nAssistant:' turn";
        return new InputRejected(RejectReason.UNPARSEABLE_DIALOGUE, field, "chosen and rejected do not share the"
                + " dialogue before their last '\\n\\nAssistant:' (they diverge at char " + common + ")" + culprit);
    }
}
