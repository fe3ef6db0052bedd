package io.prefpipe.labeling.sampling.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.labeling.sampling.ScoredCandidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one input line, {@code {"prompt": "...", "candidates": [{"id"?: "...", "text": "...", "reward": 1.23}, ...]}}.
 * Other fields are ignored. A candidate without an id (or with a null id) gets {@code "#<0-based position>"}.
 */
final class PromptLineParser {
    /** A valid line. */
    record ScoredPrompt(String prompt, List<ScoredCandidate> candidates) {
        ScoredPrompt {
            candidates = List.copyOf(candidates);
        }
    }

    /** Thrown to refuse the line being parsed; carries no stack trace. */
    static final class RefusedLine extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        RefusedLine(Refusal refusal) {
            super(refusal.toString(), null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PromptLineParser() {}

    static ScoredPrompt parse(long lineNumber, String line) throws RefusedLine {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            // Jackson names the (redacted) source inside locations; keep only line and column.
            String message = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
            throw refuse(lineNumber, "$", RefusalReason.MALFORMED_JSON, message + where);
        }
        if (root == null || !root.isObject()) {
            throw refuse(lineNumber, "$", RefusalReason.MALFORMED_JSON,
                    "expected a JSON object, got " + describe(root));
        }
        String prompt = requireText(lineNumber, root, "prompt", "prompt");
        JsonNode candidates = root.get("candidates");
        if (candidates == null || candidates.isNull()) {
            throw refuse(lineNumber, "candidates", RefusalReason.MISSING_FIELD, "candidates is required");
        }
        if (!candidates.isArray()) {
            throw refuse(lineNumber, "candidates", RefusalReason.WRONG_TYPE,
                    "expected an array, got " + describe(candidates));
        }
        if (candidates.isEmpty()) {
            throw refuse(lineNumber, "candidates", RefusalReason.NO_CANDIDATES, "candidates is empty");
        }
        List<ScoredCandidate> parsed = new ArrayList<>(candidates.size());
        Map<String, Integer> explicitIds = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            String at = "candidates[" + i + "]";
            JsonNode c = candidates.get(i);
            if (!c.isObject()) {
                throw refuse(lineNumber, at, RefusalReason.WRONG_TYPE, "expected an object, got " + describe(c));
            }
            JsonNode idNode = c.get("id");
            String id;
            if (idNode == null || idNode.isNull()) {
                id = "#" + i;
            } else if (idNode.isTextual()) {
                id = idNode.textValue();
                Integer earlier = explicitIds.putIfAbsent(id, i);
                if (earlier != null) {
                    throw refuse(lineNumber, at + ".id", RefusalReason.DUPLICATE_ID,
                            "id '" + id + "' is also used by candidates[" + earlier + "]");
                }
            } else {
                throw refuse(lineNumber, at + ".id", RefusalReason.WRONG_TYPE,
                        "expected a string, got " + describe(idNode));
            }
            String text = requireText(lineNumber, c, "text", at + ".text");
            JsonNode rewardNode = c.get("reward");
            if (rewardNode == null || rewardNode.isNull()) {
                throw refuse(lineNumber, at + ".reward", RefusalReason.MISSING_FIELD, "reward is required");
            }
            if (!rewardNode.isNumber()) {
                throw refuse(lineNumber, at + ".reward", RefusalReason.WRONG_TYPE,
                        "expected a number, got " + describe(rewardNode));
            }
            double reward = rewardNode.doubleValue();
            if (!Double.isFinite(reward)) {
                throw refuse(lineNumber, at + ".reward", RefusalReason.NON_FINITE_REWARD,
                        abbreviate(rewardNode.asText()) + " is not a finite double");
            }
            parsed.add(new ScoredCandidate(id, text, reward));
        }
        return new ScoredPrompt(prompt, parsed);
    }

    private static String requireText(long lineNumber, JsonNode parent, String name, String path) throws RefusedLine {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw refuse(lineNumber, path, RefusalReason.MISSING_FIELD, name + " is required");
        }
        if (!node.isTextual()) {
            throw refuse(lineNumber, path, RefusalReason.WRONG_TYPE, "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    private static RefusedLine refuse(long lineNumber, String field, RefusalReason reason, String detail) {
        return new RefusedLine(new Refusal(lineNumber, field, reason, detail));
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
