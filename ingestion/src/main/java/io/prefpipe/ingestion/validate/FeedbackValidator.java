package io.prefpipe.ingestion.validate;

import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a {@link FeedbackEvent} must satisfy before it is curated. The first rule broken is reported, with the
 * field it concerns. Stateless apart from its limits and clock, so one instance may be shared across threads.
 */
public final class FeedbackValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ValidationLimits limits;
    private final Clock clock;

    public FeedbackValidator(ValidationLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A validator with default limits and the system clock. */
    public static FeedbackValidator withDefaults() {
        return new FeedbackValidator(ValidationLimits.DEFAULTS, Clock.systemUTC());
    }

    /** The first rule {@code event} breaks, or empty when it is valid. */
    public Optional<Violation> validate(FeedbackEvent event) {
        Violation v = id("event_id", event.getEventId());
        if (v == null) v = id("comparison_id", event.getComparisonId());
        if (v == null) v = text("prompt", event.getPrompt(), limits.maxPromptChars());
        if (v == null) v = responses(event.getResponses());
        if (v == null) v = judgement(event);
        if (v == null) v = shownOrder(event);
        if (v == null) v = id("annotator.id", event.getAnnotator() == null ? null : event.getAnnotator().getId());
        if (v == null && event.getAnnotator().getKind() == null) {
            v = new Violation(RejectReason.MISSING_FIELD, "annotator.kind", "annotator.kind is required");
        }
        if (v == null) v = eventTime(event.getEventTime());
        return Optional.ofNullable(v);
    }

    private Violation id(String field, String value) {
        if (value == null || value.isBlank()) {
            return new Violation(RejectReason.MISSING_FIELD, field, field + " is required and must not be blank");
        }
        if (value.length() > limits.maxIdChars()) {
            return new Violation(RejectReason.TOO_LARGE, field, field + " has " + value.length()
                    + " chars, the limit is " + limits.maxIdChars());
        }
        return null;
    }

    private static Violation text(String field, String value, int maxChars) {
        if (value == null) {
            return new Violation(RejectReason.MISSING_FIELD, field, field + " is required");
        }
        if (value.isBlank()) {
            return new Violation(RejectReason.EMPTY_TEXT, field, field + " is empty");
        }
        if (value.length() > maxChars) {
            return new Violation(RejectReason.TOO_LARGE, field, field + " has " + value.length()
                    + " chars, the limit is " + maxChars);
        }
        return null;
    }

    private Violation responses(List<Response> responses) {
        if (responses == null || responses.size() < 2) {
            return new Violation(RejectReason.TOO_FEW_RESPONSES, "responses", "responses needs at least 2 entries, got "
                    + (responses == null ? 0 : responses.size()));
        }
        if (responses.size() > limits.maxResponses()) {
            return new Violation(RejectReason.TOO_MANY_RESPONSES, "responses", "responses has " + responses.size()
                    + " entries, the limit is " + limits.maxResponses());
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < responses.size(); i++) {
            Response r = responses.get(i);
            Violation v = id("responses[" + i + "].id", r.getId());
            if (v == null) v = text("responses[" + i + "].text", r.getText(), limits.maxResponseChars());
            if (v != null) {
                return v;
            }
            if (!ids.add(r.getId())) {
                return new Violation(RejectReason.DUPLICATE_RESPONSE_ID, "responses[" + i + "].id",
                        "response id '" + r.getId() + "' appears more than once");
            }
        }
        return null;
    }

    private static Violation judgement(FeedbackEvent event) {
        Set<String> ids = responseIds(event);
        Object j = event.getJudgement();
        if (j instanceof PairwiseChoice c) {
            if (c.getTie() && c.getPreferred() != null) {
                return new Violation(RejectReason.INVALID_JUDGEMENT, "judgement.preferred",
                        "judgement.preferred must be null when judgement.tie is true");
            }
            if (!c.getTie() && c.getPreferred() == null) {
                return new Violation(RejectReason.MISSING_FIELD, "judgement.preferred",
                        "judgement.preferred is required unless judgement.tie is true");
            }
            if (c.getPreferred() != null && !ids.contains(c.getPreferred())) {
                return new Violation(RejectReason.UNKNOWN_RESPONSE, "judgement.preferred",
                        "judgement.preferred '" + c.getPreferred() + "' is not one of the response ids " + ids);
            }
            Double s = c.getStrength();
            if (s != null && !(s >= 0 && s <= 1)) {
                return new Violation(RejectReason.INVALID_VALUE, "judgement.strength",
                        "judgement.strength must be in [0, 1], got " + s);
            }
            return null;
        }
        if (j instanceof Ranking r) {
            List<String> order = r.getOrder();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < order.size(); i++) {
                String id = order.get(i);
                if (!ids.contains(id)) {
                    return new Violation(RejectReason.UNKNOWN_RESPONSE, "judgement.order[" + i + "]",
                            "judgement.order names '" + id + "', which is not one of the response ids " + ids);
                }
                if (!seen.add(id)) {
                    return new Violation(RejectReason.INVALID_JUDGEMENT, "judgement.order[" + i + "]",
                            "judgement.order names '" + id + "' twice");
                }
            }
            if (seen.size() != ids.size()) {
                return new Violation(RejectReason.INVALID_JUDGEMENT, "judgement.order",
                        "judgement.order must rank every response, it ranks " + seen.size() + " of " + ids.size());
            }
            return null;
        }
        if (j instanceof Ratings r) {
            Map<String, Double> scores = r.getScores();
            if (scores.size() < 2) {
                return new Violation(RejectReason.INVALID_JUDGEMENT, "judgement.scores",
                        "judgement.scores must rate at least 2 responses, it rates " + scores.size());
            }
            for (Map.Entry<String, Double> e : scores.entrySet()) {
                if (!ids.contains(e.getKey())) {
                    return new Violation(RejectReason.UNKNOWN_RESPONSE, "judgement.scores." + e.getKey(),
                            "judgement.scores rates '" + e.getKey() + "', which is not one of the response ids " + ids);
                }
                if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                    return new Violation(RejectReason.INVALID_VALUE, "judgement.scores." + e.getKey(),
                            "judgement.scores." + e.getKey() + " must be a finite number, got " + e.getValue());
                }
            }
            return null;
        }
        return new Violation(RejectReason.MISSING_FIELD, "judgement", "judgement is required");
    }

    private static Violation shownOrder(FeedbackEvent event) {
        List<String> shown = event.getShownOrder();
        if (shown == null || shown.isEmpty()) {
            return null;
        }
        Set<String> ids = responseIds(event);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < shown.size(); i++) {
            if (!ids.contains(shown.get(i))) {
                return new Violation(RejectReason.UNKNOWN_RESPONSE, "shown_order[" + i + "]",
                        "shown_order names '" + shown.get(i) + "', which is not one of the response ids " + ids);
            }
            if (!seen.add(shown.get(i))) {
                return new Violation(RejectReason.INVALID_VALUE, "shown_order[" + i + "]",
                        "shown_order names '" + shown.get(i) + "' twice");
            }
        }
        return null;
    }

    private Violation eventTime(Instant t) {
        if (t == null) {
            return new Violation(RejectReason.MISSING_FIELD, "event_time", "event_time is required");
        }
        // compared as instants: toEpochMilli() throws for the far-off years an ISO-8601 time can name
        if (!t.isAfter(Instant.EPOCH)) {
            return new Violation(RejectReason.INVALID_TIMESTAMP, "event_time", "event_time must be after 1970, got " + t);
        }
        Instant latest = clock.instant().plus(limits.maxFutureSkew());
        if (t.isAfter(latest)) {
            return new Violation(RejectReason.INVALID_TIMESTAMP, "event_time", "event_time " + t
                    + " lies more than " + limits.maxFutureSkew() + " in the future");
        }
        return null;
    }

    private static Set<String> responseIds(FeedbackEvent event) {
        Set<String> ids = new HashSet<>();
        for (Response r : event.getResponses()) {
            ids.add(r.getId());
        }
        return ids;
    }
}
