package io.prefpipe.flink.curate;

import io.prefpipe.flink.kafka.KafkaPayload;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Decodes each message as an Avro {@link FeedbackEvent} and validates it. Valid events go on; anything else becomes a
 * {@link DeadLetter} on {@link #DEAD_LETTERS} with the original bytes, the reason and where the message came from.
 */
final class DecodeAndValidate extends ProcessFunction<KafkaPayload, FeedbackEvent>
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

    private transient AvroCodec<FeedbackEvent> codec;
    private transient FeedbackValidator validator;
    private transient FateCounters fates;

    DecodeAndValidate(ValidationLimits limits) {
        this.maxResponses = limits.maxResponses();
        this.maxPromptChars = limits.maxPromptChars();
        this.maxResponseChars = limits.maxResponseChars();
        this.maxIdChars = limits.maxIdChars();
        this.maxFutureSkew = limits.maxFutureSkew();
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
        validator = new FeedbackValidator(
                new ValidationLimits(maxResponses, maxPromptChars, maxResponseChars, maxIdChars, maxFutureSkew),
                Clock.systemUTC());
    }

    @Override
    public void processElement(KafkaPayload payload, Context ctx, Collector<FeedbackEvent> out) {
        fates.eventIn(payload.topic(), payload.partition(), payload.offset());
        FeedbackEvent event;
        try {
            event = codec.decode(payload.value());
        } catch (IOException e) {
            // Truncated input surfaces as an EOFException without a message; the exception's class says enough.
            String message = e.getMessage() != null ? e.getMessage() : "not a valid FeedbackEvent: " + e;
            deadLetter(payload, new Violation(RejectReason.INVALID_AVRO, null, message), ctx);
            return;
        }
        Optional<Violation> violation = validator.validate(event);
        if (violation.isPresent()) {
            deadLetter(payload, violation.get(), ctx);
        } else {
            out.collect(event);
        }
    }

    private void deadLetter(KafkaPayload payload, Violation violation, Context ctx) {
        fates.deadLettered(violation.reason().code());
        ctx.output(DEAD_LETTERS, DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(payload.value()))
                .setReason(violation.reason().code())
                .setField(violation.field())
                .setMessage(violation.message())
                .setStage(STAGE)
                .setSourceTopic(payload.topic())
                .setSourcePartition(payload.partition())
                .setSourceOffset(payload.offset())
                .setDeadLetterTime(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                .build());
    }
}
