package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Ratings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rated responses: {@code {"prompt": "...", "responses": ["...", ...], "scores": [7, 3.5, ...]}}, one score per
 * response, higher is better. Optional: {@code scale} ({@code {"min": 1, "max": 10}}; every score must lie in it) and
 * {@code annotator} (an id; default {@code ratings}).
 *
 * <p>The line becomes one {@code Ratings} judgement; curation turns it into votes on every pair of responses, the
 * higher score winning and equal scores tying. Scores are kept as given: only their order matters downstream. A given
 * scale is recorded in the metadata as {@code scale_min} and {@code scale_max}.
 *
 * <p>Responses must be 2 or more non-empty, distinct texts; they are listed in text order with ids {@code r1},
 * {@code r2}, ... (see {@link ResponseLists}). The annotator's kind is HUMAN; the event id is a digest of annotator,
 * prompt, responses and scores; the event time is the context's default. Extra top-level fields with a plain value are
 * kept in the metadata as {@code ratings.<name>}.
 */
public final class RatingsParser implements FeedbackParser {
    /** The annotator credited when a line names none. */
    public static final String ANNOTATOR_ID = "ratings";

    private static final Set<String> FIELDS = Set.of("prompt", "responses", "scores", "scale", "annotator");
    private static final Set<String> SCALE_FIELDS = Set.of("min", "max");

    @Override
    public ParseResult parse(String line, LineContext context) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(line), context));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    private static FeedbackEvent read(ObjectNode root, LineContext context) throws InputRejected {
        ResponseLists.Listed listed = ResponseLists.read(root, FIELDS, "ratings.", ANNOTATOR_ID, context);
        ArrayNode array = ResponseLists.parallel(root, "scores", listed);
        JsonNode scaleNode = JsonInput.optional(root, "scale");
        double min = Double.NEGATIVE_INFINITY;
        double max = Double.POSITIVE_INFINITY;
        if (scaleNode != null) {
            ObjectNode scale = JsonInput.object(scaleNode, "scale");
            JsonInput.onlyFields(scale, "scale", SCALE_FIELDS);
            min = ResponseLists.finite(JsonInput.required(scale, "scale", "min"), "scale.min");
            max = ResponseLists.finite(JsonInput.required(scale, "scale", "max"), "scale.max");
            if (!(min < max)) {
                throw new InputRejected(RejectReason.INVALID_VALUE, "scale", "scale.min must be below scale.max, got "
                        + scale);
            }
            listed = listed.withMetadata(Map.of("scale_min", scale.get("min").asText(),
                    "scale_max", scale.get("max").asText()));
        }
        List<String> ids = listed.ids();
        double[] scores = new double[array.size()];
        List<String> values = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            String path = JsonInput.element("scores", i);
            scores[i] = ResponseLists.finite(array.get(i), path);
            if (scores[i] < min || scores[i] > max) {
                throw new InputRejected(RejectReason.INVALID_VALUE, path, path + " is " + array.get(i)
                        + ", outside the scale [" + scaleNode.get("min") + ", " + scaleNode.get("max") + "]");
            }
            values.add(Double.toString(scores[i]));
        }
        Map<String, Double> byId = new LinkedHashMap<>();
        for (int i : listed.textOrder()) {
            byId.put(ids.get(i), scores[i]);
        }
        String eventId = "rate-" + ContentIds.digest(ResponseLists.digestParts(listed, values));
        return ResponseLists.event(eventId, listed, new Ratings(byId), context);
    }
}
