package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of a JSON line with Jackson's tree model. Every accessor names the field by its path, e.g.
 * {@code responses[1].text}, in the violation it raises.
 */
final class JsonInput {
    /*
     * An ObjectReader is immutable and thread-safe. Duplicate keys and trailing content are errors, not "last one
     * wins" or "ignored", since either would make the line mean something other than what its author may think.
     */
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private JsonInput() {}

    /** The line as a JSON object. */
    static ObjectNode parseObject(String line) throws InputRejected {
        return asObject(parseTree(line));
    }

    /** The text as one JSON value of any type. */
    static JsonNode parseTree(String text) throws InputRejected {
        JsonNode root;
        try {
            root = READER.readTree(text);
        } catch (JacksonException e) {
            throw new InputRejected(RejectReason.INVALID_JSON, null, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()));
        }
        if (root == null || root.isMissingNode()) {
            throw new InputRejected(RejectReason.INVALID_JSON, null, "not valid JSON: no value");
        }
        return root;
    }

    /** A parsed value that must be a JSON object, the form of one event. */
    static ObjectNode asObject(JsonNode root) throws InputRejected {
        if (!root.isObject()) {
            throw new InputRejected(RejectReason.WRONG_TYPE, null, "an event must be a JSON object, got " + type(root));
        }
        return (ObjectNode) root;
    }

    /** Rejects the first field of {@code object} not in {@code allowed}. */
    static void onlyFields(ObjectNode object, String path, Set<String> allowed) throws InputRejected {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InputRejected(RejectReason.UNKNOWN_FIELD, child(path, name), "unknown field '"
                        + child(path, name) + "'; allowed here: " + new TreeSet<>(allowed));
            }
        }
    }

    /** The metadata every event of a line-based format starts with: where the line came from. */
    static Map<String, String> sourceMetadata(LineContext context) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source_file", context.sourceName());
        metadata.put("source_line", Long.toString(context.lineNumber()));
        return metadata;
    }

    /**
     * Copies the top-level fields of {@code object} that are not in {@code known} into {@code metadata} as
     * {@code prefix + name}, for formats whose datasets carry ids and scores of their own. A null is skipped; an
     * object or array is rejected as {@code unknown_field}, since metadata holds strings only.
     */
    static void extraValues(ObjectNode object, Set<String> known, String prefix, Map<String, String> metadata)
            throws InputRejected {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String name = e.getKey();
            if (known.contains(name) || e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isValueNode()) {
                throw new InputRejected(RejectReason.UNKNOWN_FIELD, name, "unknown field '" + name + "' holds "
                        + (e.getValue().isArray() ? "an array" : "an object") + "; only " + new TreeSet<>(known)
                        + " and extra fields with a plain value are accepted");
            }
            metadata.put(prefix + name, e.getValue().asText());
        }
    }

    /** A field that must be present and not null. */
    static JsonNode required(ObjectNode object, String path, String name) throws InputRejected {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            throw new InputRejected(RejectReason.MISSING_FIELD, child(path, name), child(path, name) + " is required");
        }
        return node;
    }

    /** A field that may be absent or null, both read as {@code null}. */
    static JsonNode optional(ObjectNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    static String requiredText(ObjectNode object, String path, String name) throws InputRejected {
        return text(required(object, path, name), child(path, name));
    }

    static String optionalText(ObjectNode object, String path, String name) throws InputRejected {
        JsonNode node = optional(object, name);
        return node == null ? null : text(node, child(path, name));
    }

    static String text(JsonNode node, String field) throws InputRejected {
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    static ObjectNode object(JsonNode node, String field) throws InputRejected {
        if (!node.isObject()) {
            throw wrongType(field, "an object", node);
        }
        return (ObjectNode) node;
    }

    static ArrayNode array(JsonNode node, String field) throws InputRejected {
        if (!node.isArray()) {
            throw wrongType(field, "an array", node);
        }
        return (ArrayNode) node;
    }

    static double number(JsonNode node, String field) throws InputRejected {
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        return node.doubleValue();
    }

    static boolean bool(JsonNode node, String field) throws InputRejected {
        if (!node.isBoolean()) {
            throw wrongType(field, "true or false", node);
        }
        return node.booleanValue();
    }

    static InputRejected wrongType(String field, String expected, JsonNode got) {
        return new InputRejected(RejectReason.WRONG_TYPE, field, field + " must be " + expected + ", got " + type(got));
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String element(String path, int index) {
        return path + "[" + index + "]";
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
