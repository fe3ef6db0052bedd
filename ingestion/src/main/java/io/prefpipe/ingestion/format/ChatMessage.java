package io.prefpipe.ingestion.format;

import java.util.Objects;

/**
 * One message of a conversation in the form chat datasets use, {@code {"role": ..., "content": ...}}.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the message text
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
