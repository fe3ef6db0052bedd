package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Response;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What the list formats ({@code ranking}, {@code ratings}) share: a prompt, 2 or more responses, one value per
 * response in a parallel array, an optional annotator id, extra plain fields kept as metadata.
 *
 * <p>As for pairs ({@link PairEvents}), the responses are listed in text order with ids {@code r1}, {@code r2}, ...
 * and the comparison id comes from the content, so the same prompt and responses form the same comparison whatever
 * order a source lists them in, and ids say nothing about the judgement.
 */
final class ResponseLists {
    private ResponseLists() {}

    /**
     * The common part of one line.
     *
     * @param prompt the prompt
     * @param texts the responses in source order
     * @param annotator who judged
     * @param metadata source file and line, and the line's extra fields
     */
    record Listed(String prompt, List<String> texts, Annotator annotator, Map<String, String> metadata) {
        Listed {
            texts = List.copyOf(texts);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** This list with {@code more} added to its metadata. */
        Listed withMetadata(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(metadata);
            all.putAll(more);
            return new Listed(prompt, texts, annotator, all);
        }

        /** The id each response gets, by its index in the source: {@code r<k>} for the k-th in text order. */
        List<String> ids() {
            List<Integer> byText = textOrder();
            String[] ids = new String[texts.size()];
            for (int k = 0; k < byText.size(); k++) {
                ids[byText.get(k)] = "r" + (k + 1);
            }
            return List.of(ids);
        }

        /** The source indices in text order, the order the event lists the responses in. */
        List<Integer> textOrder() {
            return IntStream.range(0, texts.size()).boxed().sorted(Comparator.comparing(texts::get)).toList();
        }
    }

    /**
     * Reads the prompt, the responses, the annotator and the extra fields.
     *
     * @param fields every field the format defines; others go to the metadata as {@code prefix + name}
     * @param defaultAnnotator the annotator id when the line names none
     */
    static Listed read(ObjectNode root, Set<String> fields, String prefix, String defaultAnnotator,
            LineContext context) throws InputRejected {
        Map<String, String> metadata = JsonInput.sourceMetadata(context);
        JsonInput.extraValues(root, fields, prefix, metadata);
        String prompt = JsonInput.requiredText(root, "", "prompt");
        if (prompt.isBlank()) {
            throw new InputRejected(RejectReason.EMPTY_TEXT, "prompt", "prompt is empty");
        }
        ArrayNode responses = JsonInput.array(JsonInput.required(root, "", "responses"), "responses");
        if (responses.size() < 2) {
            throw new InputRejected(RejectReason.TOO_FEW_RESPONSES, "responses", "responses needs at least 2"
                    + " entries to judge, got " + responses.size());
        }
        List<String> texts = new ArrayList<>(responses.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            String path = JsonInput.element("responses", i);
            String text = JsonInput.text(responses.get(i), path);
            if (text.isBlank()) {
                throw new InputRejected(RejectReason.EMPTY_TEXT, path, path + " is empty");
            }
            Integer earlier = seen.putIfAbsent(text, i);
            if (earlier != null) {
                throw new InputRejected(RejectReason.INVALID_VALUE, path, path + " has the same text as responses["
                        + earlier + "]; a list must hold each response once");
            }
            texts.add(text);
        }
        String annotatorId = JsonInput.optionalText(root, "", "annotator");
        if (annotatorId != null && annotatorId.isBlank()) {
            throw new InputRejected(RejectReason.MISSING_FIELD, "annotator", "annotator must not be blank; leave it"
                    + " out to credit '" + defaultAnnotator + "'");
        }
        return new Listed(prompt, texts,
                new Annotator(annotatorId == null ? defaultAnnotator : annotatorId, AnnotatorKind.HUMAN), metadata);
    }

    /** The array in {@code field}, which must hold one entry per response. */
    static ArrayNode parallel(ObjectNode root, String field, Listed listed) throws InputRejected {
        ArrayNode values = JsonInput.array(JsonInput.required(root, "", field), field);
        if (values.size() != listed.texts().size()) {
            throw new InputRejected(RejectReason.INVALID_VALUE, field, field + " has " + values.size()
                    + " entries but responses has " + listed.texts().size() + "; they must be parallel");
        }
        return values;
    }

    /** A finite number. */
    static double finite(JsonNode node, String path) throws InputRejected {
        double value = JsonInput.number(node, path);
        if (!Double.isFinite(value)) {
            throw new InputRejected(RejectReason.INVALID_VALUE, path, path + " must be a finite number, got " + node);
        }
        return value;
    }

    /** The event of {@code listed} with {@code judgement}, whose response ids are {@link Listed#ids()}. */
    static FeedbackEvent event(String eventId, Listed listed, Object judgement, LineContext context) {
        List<String> ids = listed.ids();
        List<Response> responses = new ArrayList<>(ids.size());
        for (int i : listed.textOrder()) {
            responses.add(Response.newBuilder().setId(ids.get(i)).setText(listed.texts().get(i)).build());
        }
        return FeedbackEvent.newBuilder()
                .setEventId(eventId)
                .setComparisonId(ContentIds.comparisonId(listed.prompt(), listed.texts()))
                .setPrompt(listed.prompt())
                .setResponses(responses)
                .setJudgement(judgement)
                .setShownOrder(List.of())
                .setAnnotator(listed.annotator())
                .setEventTime(context.defaultEventTime().truncatedTo(ChronoUnit.MILLIS))
                .setMetadata(listed.metadata())
                .build();
    }

    /** The parts an event id digests: annotator, prompt, then each response's text and value in text order. */
    static List<String> digestParts(Listed listed, List<String> values) {
        List<String> parts = new ArrayList<>(2 + 2 * values.size());
        parts.add(listed.annotator().getId());
        parts.add(listed.prompt());
        for (int i : listed.textOrder()) {
            parts.add(listed.texts().get(i));
            parts.add(values.get(i));
        }
        return parts;
    }
}
