package io.prefpipe.labeling.curate;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content annotators were asked to judge: a prompt and its responses.
 *
 * @param comparisonId groups the judgements of several annotators over this content
 * @param prompt the prompt
 * @param responses the responses, in the order the producer listed them
 */
public record Comparison(String comparisonId, String prompt, List<ResponseText> responses) {
    public Comparison {
        Objects.requireNonNull(comparisonId, "comparisonId");
        Objects.requireNonNull(prompt, "prompt");
        responses = List.copyOf(responses);
    }

    /** The response with this id. */
    public Optional<ResponseText> response(String id) {
        for (ResponseText r : responses) {
            if (r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether two of its responses say the same, ignoring leading and trailing white space: a vote between them says
     * nothing about quality.
     *
     * @throws IllegalArgumentException if either id is not one of its responses
     */
    public boolean sameText(String firstId, String secondId) {
        return text(firstId).strip().equals(text(secondId).strip());
    }

    private String text(String id) {
        return response(id).orElseThrow(() -> new IllegalArgumentException("comparison " + comparisonId
                + " has no response " + id)).text();
    }
}
