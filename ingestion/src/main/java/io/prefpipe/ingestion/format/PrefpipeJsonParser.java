package io.prefpipe.ingestion.format;

import static io.prefpipe.ingestion.format.JsonInput.array;
import static io.prefpipe.ingestion.format.JsonInput.bool;
import static io.prefpipe.ingestion.format.JsonInput.child;
import static io.prefpipe.ingestion.format.JsonInput.element;
import static io.prefpipe.ingestion.format.JsonInput.number;
import static io.prefpipe.ingestion.format.JsonInput.object;
import static io.prefpipe.ingestion.format.JsonInput.onlyFields;
import static io.prefpipe.ingestion.format.JsonInput.optional;
import static io.prefpipe.ingestion.format.JsonInput.optionalText;
import static io.prefpipe.ingestion.format.JsonInput.required;
import static io.prefpipe.ingestion.format.JsonInput.requiredText;
import static io.prefpipe.ingestion.format.JsonInput.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * prefpipe's public JSON form of a {@code FeedbackEvent}: one object per line of a file, per message of the JSON
 * feedback topic, or per element of an HTTP request's array. This is a public contract shared by all three:
 *
 * <pre>{@code
 * {"event_id": "e-1029", "comparison_id": "c-77", "prompt": "How do I reset my password?",
 *  "responses": [{"id": "r1", "text": "Open Settings, then ...", "policy_version": "v3"},
 *                {"id": "r2", "text": "I can't help with that."}],
 *  "judgement": {"type": "pairwise", "preferred": "r1", "strength": 0.8},
 *  "shown_order": ["r2", "r1"], "annotator": {"id": "ann-7", "kind": "HUMAN"},
 *  "event_time": "2026-11-28T10:00:00Z", "metadata": {"ui": "v2"}}
 * }</pre>
 *
 * <p>{@code judgement} is one of {@code {"type":"pairwise","preferred":id|null,"tie":bool,"strength":0..1}},
 * {@code {"type":"ranking","order":[ids, best first]}} or {@code {"type":"ratings","scores":{id: number}}}.
 * Optional: {@code comparison_id} (when absent, derived by {@link ContentIds#comparisonId} from the prompt and the
 * response texts), {@code policy_version}, {@code preferred}, {@code tie} (default false), {@code strength},
 * {@code shown_order}, {@code metadata}. An optional field given as JSON {@code null} counts as absent.
 * {@code event_time} is ISO-8601 with an offset ({@code Z} or {@code +01:00}) and is truncated to milliseconds, the
 * precision of the Avro event.
 *
 * <p>Strict: an unknown field is {@code unknown_field}, a value of the wrong JSON type {@code wrong_type}, an unknown
 * annotator kind or judgement type {@code invalid_value}, an unparseable time {@code invalid_timestamp}, an absent
 * required field {@code missing_field}; each names the field's path. Whether ids refer to existing responses is left
 * to the {@link io.prefpipe.ingestion.validate.FeedbackValidator}.
 */
public final class PrefpipeJsonParser implements FeedbackParser {
    private static final Set<String> EVENT_FIELDS = Set.of("event_id", "comparison_id", "prompt", "responses",
            "judgement", "shown_order", "annotator", "event_time", "metadata");
    private static final Set<String> RESPONSE_FIELDS = Set.of("id", "text", "policy_version");
    private static final Set<String> ANNOTATOR_FIELDS = Set.of("id", "kind");
    private static final Set<String> PAIRWISE_FIELDS = Set.of("type", "preferred", "tie", "strength");
    private static final Set<String> RANKING_FIELDS = Set.of("type", "order");
    private static final Set<String> RATINGS_FIELDS = Set.of("type", "scores");

    @Override
    public ParseResult parse(String line, LineContext context) {
        return parse(line);
    }

    /** Parses one JSON object; the form has everything it needs, so no line context is required. */
    public ParseResult parse(String json) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(json)));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    /**
     * Parses one Kafka message or other byte payload holding one JSON object in UTF-8; bytes that are not UTF-8 are
     * {@code invalid_utf8}.
     */
    public ParseResult parse(byte[] utf8) {
        try {
            return parse(decodeUtf8(utf8));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    /**
     * Parses a payload that holds either one event object or a JSON array of them, as the HTTP endpoint takes. The
     * result has one entry per event, in order: an array's elements are parsed each on its own, and anything else,
     * including bytes that are not UTF-8 or not JSON, is one event. An empty array gives an empty list.
     */
    public List<ParseResult> parseOneOrMany(byte[] utf8) {
        JsonNode root;
        try {
            root = JsonInput.parseTree(decodeUtf8(utf8));
        } catch (InputRejected e) {
            return List.of(new ParseResult.Rejected(e.violation()));
        }
        List<JsonNode> elements = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(elements::add);
        } else {
            elements.add(root);
        }
        List<ParseResult> results = new ArrayList<>(elements.size());
        for (JsonNode element : elements) {
            try {
                results.add(new ParseResult.Parsed(read(JsonInput.asObject(element))));
            } catch (InputRejected e) {
                results.add(new ParseResult.Rejected(e.violation()));
            }
        }
        return results;
    }

    private static String decodeUtf8(byte[] bytes) throws InputRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputRejected(RejectReason.INVALID_UTF8, null, "not valid UTF-8: " + e.getMessage());
        }
    }

    private static FeedbackEvent read(ObjectNode root) throws InputRejected {
        onlyFields(root, "", EVENT_FIELDS);
        String eventId = requiredText(root, "", "event_id");
        String comparisonId = optionalText(root, "", "comparison_id");
        String prompt = requiredText(root, "", "prompt");
        List<Response> responses = responses(array(required(root, "", "responses"), "responses"));
        Object judgement = judgement(object(required(root, "", "judgement"), "judgement"));
        JsonNode shown = optional(root, "shown_order");
        List<String> shownOrder = shown == null ? List.of() : strings(array(shown, "shown_order"), "shown_order");
        Annotator annotator = annotator(object(required(root, "", "annotator"), "annotator"));
        Instant eventTime = eventTime(requiredText(root, "", "event_time"));
        JsonNode meta = optional(root, "metadata");
        Map<String, String> metadata = meta == null ? Map.of() : metadata(object(meta, "metadata"));
        if (comparisonId == null) {
            comparisonId = ContentIds.comparisonId(prompt, responses.stream().map(Response::getText).toList());
        }
        return FeedbackEvent.newBuilder()
                .setEventId(eventId)
                .setComparisonId(comparisonId)
                .setPrompt(prompt)
                .setResponses(responses)
                .setJudgement(judgement)
                .setShownOrder(shownOrder)
                .setAnnotator(annotator)
                .setEventTime(eventTime)
                .setMetadata(metadata)
                .build();
    }

    private static List<Response> responses(ArrayNode array) throws InputRejected {
        List<Response> responses = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String path = element("responses", i);
            ObjectNode r = object(array.get(i), path);
            onlyFields(r, path, RESPONSE_FIELDS);
            responses.add(Response.newBuilder()
                    .setId(requiredText(r, path, "id"))
                    .setText(requiredText(r, path, "text"))
                    .setPolicyVersion(optionalText(r, path, "policy_version"))
                    .build());
        }
        return responses;
    }

    private static Object judgement(ObjectNode j) throws InputRejected {
        String type = requiredText(j, "judgement", "type");
        switch (type) {
            case "pairwise" -> {
                onlyFields(j, "judgement", PAIRWISE_FIELDS);
                JsonNode tie = optional(j, "tie");
                JsonNode strength = optional(j, "strength");
                return PairwiseChoice.newBuilder()
                        .setPreferred(optionalText(j, "judgement", "preferred"))
                        .setTie(tie != null && bool(tie, "judgement.tie"))
                        .setStrength(strength == null ? null : number(strength, "judgement.strength"))
                        .build();
            }
            case "ranking" -> {
                onlyFields(j, "judgement", RANKING_FIELDS);
                return new Ranking(strings(array(required(j, "judgement", "order"), "judgement.order"),
                        "judgement.order"));
            }
            case "ratings" -> {
                onlyFields(j, "judgement", RATINGS_FIELDS);
                ObjectNode scores = object(required(j, "judgement", "scores"), "judgement.scores");
                Map<String, Double> values = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : scores.properties()) {
                    values.put(e.getKey(), number(e.getValue(), child("judgement.scores", e.getKey())));
                }
                return new Ratings(values);
            }
            default -> throw new InputRejected(RejectReason.INVALID_VALUE, "judgement.type",
                    "judgement.type must be pairwise, ranking or ratings, got '" + type + "'");
        }
    }

    private static Annotator annotator(ObjectNode a) throws InputRejected {
        onlyFields(a, "annotator", ANNOTATOR_FIELDS);
        String id = requiredText(a, "annotator", "id");
        String kind = requiredText(a, "annotator", "kind");
        AnnotatorKind parsed = Arrays.stream(AnnotatorKind.values())
                .filter(k -> k.name().equals(kind))
                .findFirst()
                .orElseThrow(() -> new InputRejected(RejectReason.INVALID_VALUE, "annotator.kind",
                        "annotator.kind must be one of " + Arrays.toString(AnnotatorKind.values()) + ", got '"
                                + kind + "'"));
        return new Annotator(id, parsed);
    }

    private static Instant eventTime(String value) throws InputRejected {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new InputRejected(RejectReason.INVALID_TIMESTAMP, "event_time", "event_time '" + value
                    + "' is not an ISO-8601 time with an offset, such as 2026-11-28T10:00:00Z");
        }
    }

    private static Map<String, String> metadata(ObjectNode meta) throws InputRejected {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            values.put(e.getKey(), text(e.getValue(), child("metadata", e.getKey())));
        }
        return values;
    }

    private static List<String> strings(ArrayNode array, String path) throws InputRejected {
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(text(array.get(i), element(path, i)));
        }
        return values;
    }
}
