package io.prefpipe.labeling.curate;

import java.util.Objects;

/**
 * A response as curation sees it.
 *
 * @param id the response id, unique within its comparison
 * @param text the response text
 * @param policyVersion the policy that produced it, or {@code null} when unknown
 */
public record ResponseText(String id, String text, String policyVersion) {
    public ResponseText {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
