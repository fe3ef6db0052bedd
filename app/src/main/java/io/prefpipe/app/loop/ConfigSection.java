package io.prefpipe.app.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.prefpipe.app.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a YAML configuration, read field by field: every value is checked as it is read, and every error is
 * an {@link IllegalArgumentException} whose message starts with the field's full path ({@code schedule.every-pairs:
 * must be >= 1, got 0}). {@link #finish()} refuses fields nobody read, so a misspelt key is an error, not a silently
 * ignored setting.
 */
final class ConfigSection {
    private final JsonNode node;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<ConfigSection> children = new ArrayList<>();

    private ConfigSection(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The document's top level; an empty document reads as an empty mapping. */
    static ConfigSection root(JsonNode document) {
        JsonNode node = document == null || document.isNull() ? MissingNode.getInstance() : document;
        if (!node.isMissingNode() && !node.isObject()) {
            throw new IllegalArgumentException("the top level must be a mapping of fields, got " + describe(node));
        }
        return new ConfigSection(node, "");
    }

    /** The mapping under {@code key}; absent reads as an empty mapping (every field at its default). */
    ConfigSection section(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isObject()) {
            throw error(key, "must be a mapping of fields, got " + describe(value));
        }
        ConfigSection child = new ConfigSection(value == null ? MissingNode.getInstance() : value, name(key));
        children.add(child);
        return child;
    }

    /** Whether the field is present, even with no value ({@code synthetic:} reads as an empty mapping). */
    boolean has(String key) {
        known.add(key);
        return node.has(key);
    }

    String text(String key, String defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isValueNode() || value.isBoolean() || value.asText().isBlank()) {
            throw error(key, "must be a non-blank text, got " + describe(value));
        }
        return value.asText().trim();
    }

    String requiredText(String key, String hint) {
        String value = text(key, null);
        if (value == null) {
            throw error(key, "is required (" + hint + ")");
        }
        return value;
    }

    Path path(String key, Path defaultValue) {
        String value = text(key, null);
        return value == null ? defaultValue : Path.of(value);
    }

    boolean flag(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw error(key, "must be true or false, got " + describe(value));
        }
        return value.asBoolean();
    }

    int integer(String key, int defaultValue, int min, int max) {
        long value = longInteger(key, defaultValue, min, max);
        return (int) value;
    }

    long longInteger(String key, long defaultValue, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(key, "must be a whole number, got " + describe(value));
        }
        long v = value.asLong();
        if (v < min || v > max) {
            throw error(key, range(min, max) + ", got " + v);
        }
        return v;
    }

    /** A number in [min, max]; {@code minExclusive} makes it (min, max]. */
    double number(String key, double defaultValue, double min, boolean minExclusive, double max) {
        Double v = optionalNumber(key, min, minExclusive, max);
        return v == null ? defaultValue : v;
    }

    /** As {@link #number}, or null when absent. */
    Double optionalNumber(String key, double min, boolean minExclusive, double max) {
        JsonNode value = value(key);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw error(key, "must be a number, got " + describe(value));
        }
        double v = value.asDouble();
        if (!Double.isFinite(v) || (minExclusive ? v <= min : v < min) || v > max) {
            throw error(key, "must be " + (minExclusive ? "> " : ">= ") + format(min)
                    + (max == Double.MAX_VALUE ? "" : " and <= " + format(max)) + ", got " + format(v));
        }
        return v;
    }

    /** A positive duration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
    Duration duration(String key, Duration defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        String text = value.isTextual() ? value.asText().trim() : null;
        Duration parsed = text == null ? null : DurationText.parse(text).orElse(null);
        if (parsed == null) {
            throw error(key, "must be a duration such as 500ms, 30s, 10m, 2h or 1d, got " + describe(value));
        }
        if (parsed.isZero() || parsed.isNegative()) {
            throw error(key, "must be positive, got " + text);
        }
        return parsed;
    }

    /** One of {@code choices} by its name, case-insensitively. */
    <T> T choice(String key, Map<String, T> choices, T defaultValue) {
        String value = text(key, null);
        if (value == null) {
            return defaultValue;
        }
        T chosen = choices.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw error(key, "must be one of " + String.join(", ", choices.keySet()) + ", got '" + value + "'");
        }
        return chosen;
    }

    /**
     * A mapping of settings passed through to another system as text (numbers and booleans by their YAML spelling),
     * in the order written; empty when absent.
     */
    Map<String, String> textMap(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw error(key, "must be a mapping of settings, got " + describe(value));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode v = field.getValue();
            if (!v.isValueNode() || v.isNull() || v.asText().isBlank()) {
                throw new IllegalArgumentException(name(key) + "." + field.getKey()
                        + ": must be a text, number or true/false, got " + (v.isNull() ? "nothing" : describe(v)));
            }
            settings.put(field.getKey(), v.asText().trim());
        }
        return Collections.unmodifiableMap(settings);
    }

    /** An error about {@code key} in this section, for checks across fields. */
    IllegalArgumentException error(String key, String reason) {
        return new IllegalArgumentException(name(key) + ": " + reason);
    }

    /**
     * Refuses fields of this section and every section read from it that were never asked for.
     *
     * @throws IllegalArgumentException naming the first unknown field and the known ones
     */
    void finish() {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!known.contains(field)) {
                    throw new IllegalArgumentException(name(field) + ": unknown field; known "
                            + (path.isEmpty() ? "top-level fields" : "fields of " + path) + ": "
                            + String.join(", ", known));
                }
            }
        }
        children.forEach(ConfigSection::finish);
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "must be >= " + min
                : "must be in [" + min + ", " + max + "]";
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.isTextual() ? "'" + value.asText() + "'" : value.asText();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
