package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.FeedbackEvent;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes every valid event through a test's probe on {@link FeedbackEvent}s (see {@link CurationJob}), which may
 * inject a fault or slow the stream down. The probe gets this task's runtime context, its lifecycle and, if it listens
 * for them, its completed checkpoints. An event the probe returns unchanged goes on as it came; one it replaces goes
 * on as the replacement, from the same message.
 */
final class ProbeValidEvents extends RichMapFunction<ValidEvent, ValidEvent> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final MapFunction<FeedbackEvent, FeedbackEvent> probe;
    private transient AvroCodec<FeedbackEvent> codec;

    ProbeValidEvents(MapFunction<FeedbackEvent, FeedbackEvent> probe) {
        this.probe = probe;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        codec = new AvroCodec<>(FeedbackEvent.class);
        if (probe instanceof RichFunction rich) {
            rich.setRuntimeContext(getRuntimeContext());
            rich.open(openContext);
        }
    }

    @Override
    public void close() throws Exception {
        if (probe instanceof RichFunction rich) {
            rich.close();
        }
    }

    @Override
    public ValidEvent map(ValidEvent event) throws Exception {
        FeedbackEvent decoded = codec.decode(event.avro());
        FeedbackEvent probed = probe.map(decoded);
        return probed == decoded ? event : ValidEvent.of(probed, codec.encode(probed), event.origin());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        if (probe instanceof CheckpointListener listener) {
            listener.notifyCheckpointComplete(checkpointId);
        }
    }
}
