package io.prefpipe.ingestion.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between a conversation and the plain-text transcript prefpipe stores as a prompt, the form HH-RLHF
 * prompts have: one {@code Label: content} block per message ({@code system} as {@code System}, {@code user} as
 * {@code Human}, {@code assistant} as {@code Assistant}), content stripped, blocks joined by a blank line.
 *
 * <p>{@link #messages} reverses {@link #render} for every transcript whose message contents contain no blank line
 * followed by a label. A prompt that does not start with a label is not a transcript: it reads as one user message.
 */
public final class Transcripts {
    private static final Map<String, String> LABELS = Map.of(
            "system", "System", "user", "Human", "assistant", "Assistant");
    private static final Map<String, String> ROLES = Map.of(
            "System", "system", "Human", "user", "Assistant", "assistant");
    // A label opens the text or follows a blank line; HH-RLHF writes "Assistant:" with nothing after it too.
    private static final Pattern BLOCK = Pattern.compile("(?:^|\\n\\n)(System|Human|Assistant):(?: |$|(?=\\n))");

    private Transcripts() {}

    /** Whether {@code role} is one a transcript can hold. */
    static boolean isRole(String role) {
        return LABELS.containsKey(role);
    }

    /**
     * The transcript of {@code messages}.
     *
     * @throws IllegalArgumentException if a role is not system, user or assistant
     */
    public static String render(List<ChatMessage> messages) {
        List<String> blocks = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            String label = LABELS.get(m.role());
            if (label == null) {
                throw new IllegalArgumentException("role must be system, user or assistant, got '" + m.role() + "'");
            }
            blocks.add(label + ": " + m.content().strip());
        }
        return String.join("\n\n", blocks);
    }

    /** The messages of a transcript, or one user message holding {@code prompt} if it is not a transcript. */
    public static List<ChatMessage> messages(String prompt) {
        Matcher m = BLOCK.matcher(prompt);
        if (!m.find() || m.start() != 0) {
            return List.of(new ChatMessage("user", prompt));
        }
        List<ChatMessage> out = new ArrayList<>();
        String role = ROLES.get(m.group(1));
        int contentStart = m.end();
        while (m.find()) {
            out.add(new ChatMessage(role, prompt.substring(contentStart, m.start()).strip()));
            role = ROLES.get(m.group(1));
            contentStart = m.end();
        }
        out.add(new ChatMessage(role, prompt.substring(contentStart).strip()));
        return out;
    }
}
