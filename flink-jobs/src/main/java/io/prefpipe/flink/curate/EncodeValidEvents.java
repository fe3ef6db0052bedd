package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.schema.FeedbackEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns each valid event into the {@link ValidEvent} that travels on to dedupe and curation: its content fingerprint
 * and pairwise votes computed here, while the event is decoded anyway, and the event encoded as Avro binary. The
 * encoding is the event's canonical one whatever form it arrived in (JSON, or Avro however its producer blocked its
 * arrays), which is what a dead letter for a conflicting duplicate quotes.
 */
final class EncodeValidEvents extends RichMapFunction<FeedbackEvent, ValidEvent> {
    private static final long serialVersionUID = 1L;

    private transient AvroCodec<FeedbackEvent> codec;

    @Override
    public void open(OpenContext openContext) {
        codec = new AvroCodec<>(FeedbackEvent.class);
    }

    @Override
    public ValidEvent map(FeedbackEvent event) {
        return new ValidEvent(event.getEventId(), event.getComparisonId(), event.getEventTime().toEpochMilli(),
                ContentFingerprint.of(event), codec.encode(event), WindowVotes.of(event));
    }
}
