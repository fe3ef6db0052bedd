package io.prefpipe.app.serve;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.prefpipe.app.http.ServeRoutes;
import io.prefpipe.ingestion.format.ParseResult;
import io.prefpipe.ingestion.format.PrefpipeJsonParser;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/feedback}: one event in prefpipe's JSON form, or an array of them.
 *
 * <p>All or nothing: the request is accepted (202, {@code {"accepted": n}}) only when every event is valid and Kafka
 * has acknowledged every one. If any event is invalid, none is written and the answer is 400 with, for each invalid
 * event, its index in the request (0 for a body that is not an array), the reason code, the field and a message; the
 * client fixes those and sends the request again. A body over the size limit is 413 before any event is read, and
 * events Kafka did not acknowledge in time are 503: some may have been written, and sending the same events again is
 * safe because the curation job drops event ids it has seen.
 */
public final class FeedbackRoutes implements ServeRoutes {
    public static final String PATH = "/v1/feedback";

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackRoutes.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    private final int maxBodyBytes;
    private final FeedbackValidator validator;
    private final FeedbackPublisher publisher;
    private final IngressCounts counts;
    private final PrefpipeJsonParser parser = new PrefpipeJsonParser();

    /**
     * @param maxBodyBytes the largest body accepted
     * @param validator the rules every event must pass, with their field size limits
     * @param publisher where valid events go
     * @param counts where requests and events are counted
     */
    public FeedbackRoutes(int maxBodyBytes, FeedbackValidator validator, FeedbackPublisher publisher,
            IngressCounts counts) {
        if (maxBodyBytes < 1 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be in [1, " + (Integer.MAX_VALUE - 1) + "], got "
                    + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.validator = Objects.requireNonNull(validator, "validator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::post);
    }

    /** One event's problem, as the 400 reply lists it. */
    record EventError(int index, String reason, String field, String message) {}

    private void post(Context ctx) throws IOException {
        long start = System.nanoTime();
        byte[] body = readBody(ctx);
        if (body == null) {
            counts.request(IngressCounts.TOO_LARGE);
            LOG.warn("POST {} from {}: 413, body over {} bytes", PATH, ctx.ip(), maxBodyBytes);
            JsonReplies.error(ctx, 413, "too_large", "the body is larger than " + maxBodyBytes + " bytes; send "
                    + "fewer events per request");
            return;
        }
        List<ParseResult> results = parser.parseOneOrMany(body);
        if (results.isEmpty()) {
            counts.request(IngressCounts.NO_EVENTS);
            LOG.warn("POST {} from {}: 400, an empty array", PATH, ctx.ip());
            JsonReplies.error(ctx, 400, "no_events", "the body is an empty array; send one event or an array of them");
            return;
        }
        List<FeedbackEvent> valid = new ArrayList<>(results.size());
        List<EventError> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ParseResult result = results.get(i);
            Optional<Violation> violation = result instanceof ParseResult.Parsed p
                    ? validator.validate(p.event())
                    : Optional.of(((ParseResult.Rejected) result).violation());
            if (violation.isPresent()) {
                Violation v = violation.get();
                errors.add(new EventError(i, v.reason().code(), v.field(), v.message()));
                counts.events(IngressCounts.INVALID_PREFIX + v.reason().code(), 1);
            } else {
                valid.add(((ParseResult.Parsed) result).event());
            }
        }
        if (!errors.isEmpty()) {
            counts.request(IngressCounts.INVALID);
            counts.events(IngressCounts.REFUSED_WITH_REQUEST, valid.size());
            LOG.warn("POST {} from {}: 400, {} of {} events invalid, first at index {}: {} {}", PATH, ctx.ip(),
                    errors.size(), results.size(), errors.get(0).index(), errors.get(0).reason(),
                    errors.get(0).field());
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("error", "invalid_events");
            reply.put("message", errors.size() + " of " + results.size() + " events are invalid; none was accepted");
            reply.put("accepted", 0);
            reply.put("errors", errors);
            JsonReplies.send(ctx, 400, reply);
            return;
        }
        try {
            publisher.publish(valid);
        } catch (FeedbackPublisher.NotAcknowledgedException e) {
            counts.request(IngressCounts.NOT_ACKNOWLEDGED);
            counts.events(IngressCounts.NOT_ACKNOWLEDGED, valid.size());
            LOG.error("POST {} from {}: 503, {} events not acknowledged: {}", PATH, ctx.ip(), valid.size(),
                    e.getMessage());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            JsonReplies.error(ctx, 503, "not_acknowledged", e.getMessage() + "; some events may have been written, "
                    + "and sending the same events again is safe (the curation job drops repeated event ids)");
            return;
        }
        counts.request(IngressCounts.ACCEPTED);
        counts.events(IngressCounts.ACCEPTED, valid.size());
        LOG.info("POST {} from {}: 202, {} events acknowledged in {} ms", PATH, ctx.ip(), valid.size(),
                (System.nanoTime() - start) / 1_000_000);
        JsonReplies.send(ctx, 202, Map.of("accepted", valid.size()));
    }

    /** The body, or {@code null} when it is larger than the limit; a declared length over it is refused unread. */
    private byte[] readBody(Context ctx) throws IOException {
        if (ctx.contentLength() > maxBodyBytes) {
            return null;
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        }
    }
}
