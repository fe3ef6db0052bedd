package io.prefpipe.optimizer.model;

import java.util.Objects;

/**
 * A response to a prompt, the unit the policy scores.
 *
 * @param prompt the conditioning text
 * @param response the text whose log-probability is measured
 */
public record PromptResponse(String prompt, String response) {
    public PromptResponse {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
    }
}
