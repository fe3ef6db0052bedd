package io.prefpipe.flink.curate;

import io.prefpipe.flink.kafka.KafkaPayload;
import io.prefpipe.ingestion.format.ParseResult;
import io.prefpipe.ingestion.format.PrefpipeJsonParser;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.AvroDecodeException;
import io.prefpipe.ingestion.kafka.DeadLetters;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes each message as a {@link FeedbackEvent}, from prefpipe's JSON form ({@link PrefpipeJsonParser}) when it
 * comes from the JSON topic and from Avro binary otherwise, and validates it. Both forms pass the same
 * {@link FeedbackValidator}. Valid events go on as {@link ValidEvent}s, whose Avro bytes are the message itself when it
 * came as Avro (it decoded to exactly one valid event) and the parsed event's encoding when it came as JSON; anything
 * else becomes a {@link DeadLetter} on {@link #DEAD_LETTERS}
 * with the original bytes (the first {@link DeadLetters#MAX_PAYLOAD_BYTES} of a larger message), the reason, the field
 * and where the message came from. Hostile Avro (declared sizes the message cannot hold, strings that are not UTF-8)
 * fails in {@link AvroCodec} with the field it was reading, never with an error that would stop the job.
 */
final class DecodeAndValidate extends ProcessFunction<KafkaPayload, ValidEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The stage recorded in dead letters from this job. */
    static final String STAGE = "curate";

    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    // ValidationLimits is not serializable, so the function carries its parts and rebuilds it on the task.
    private final int maxResponses;
    private final int maxPromptChars;
    private final int maxResponseChars;
    private final int maxIdChars;
    private final Duration maxFutureSkew;
    private final String jsonTopic;

    private transient AvroCodec<FeedbackEvent> codec;
    private transient PrefpipeJsonParser jsonParser;
    private transient FeedbackValidator validator;
    private transient FateCounters fates;

    /**
     * @param limits the limits every event must respect
     * @param jsonTopic the topic whose messages are JSON; all others are Avro
     */
    DecodeAndValidate(ValidationLimits limits, String jsonTopic) {
        this.maxResponses = limits.maxResponses();
        this.maxPromptChars = limits.maxPromptChars();
        this.maxResponseChars = limits.maxResponseChars();
        this.maxIdChars = limits.maxIdChars();
        this.maxFutureSkew = limits.maxFutureSkew();
        this.jsonTopic = Objects.requireNonNull(jsonTopic, "jsonTopic");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        fates = FateCounters.restore(getRuntimeContext(), context, "decode-validate");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        fates.snapshot(context.getCheckpointId());
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new AvroCodec<>(FeedbackEvent.class);
        jsonParser = new PrefpipeJsonParser();
        validator = new FeedbackValidator(
                new ValidationLimits(maxResponses, maxPromptChars, maxResponseChars, maxIdChars, maxFutureSkew),
                Clock.systemUTC());
    }

    @Override
    public void processElement(KafkaPayload payload, Context ctx, Collector<ValidEvent> out) {
        fates.eventIn(payload.topic(), payload.partition(), payload.offset());
        FeedbackEvent event;
        boolean json = jsonTopic.equals(payload.topic());
        if (json) {
            ParseResult parsed = jsonParser.parse(payload.value());
            if (parsed instanceof ParseResult.Rejected rejected) {
                deadLetter(payload, rejected.violation(), ctx);
                return;
            }
            event = ((ParseResult.Parsed) parsed).event();
        } else {
            try {
                event = codec.decode(payload.value());
            } catch (AvroDecodeException e) {
                RejectReason reason = e.invalidUtf8() ? RejectReason.INVALID_UTF8 : RejectReason.INVALID_AVRO;
                deadLetter(payload, new Violation(reason, e.field(), e.getMessage()), ctx);
                return;
            }
        }
        Optional<Violation> violation = validator.validate(event);
        if (violation.isPresent()) {
            deadLetter(payload, violation.get(), ctx);
        } else {
            ValidEvent.Origin origin = new ValidEvent.Origin(payload.topic(), payload.partition(), payload.offset(),
                    json ? payload.value() : null);
            out.collect(ValidEvent.of(event, json ? codec.encode(event) : payload.value(), origin));
        }
    }

    private void deadLetter(KafkaPayload payload, Violation violation, Context ctx) {
        fates.deadLettered(violation.reason().code());
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        ctx.output(DEAD_LETTERS, DeadLetters.ofMessage(payload.value(), violation, STAGE, payload.topic(),
                payload.partition(), payload.offset(), now));
    }
}
