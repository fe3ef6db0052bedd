package io.prefpipe.flink.curate;

import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A probe that makes subtask 0 throw once it has passed {@code afterRecords} events and a checkpoint has completed
 * since, so the job must restore that checkpoint. Until that checkpoint completes, it slows down to
 * {@value #PACE_MILLIS} ms a record, so that a short bounded stream does not end first even when a loaded machine takes
 * seconds to complete a checkpoint. It paces rather than waits: a barrier passes a task only between records. When it
 * throws, it writes what it saw to {@code marker}, which the test reads to know the fault happened.
 *
 * <p>"Once" is the marker: a probe whose marker exists passes everything. An attempt number would disarm the probe
 * after any other restart that came first, and the test would fail for want of the fault it meant to inject.
 */
final class FailOnceAfterCheckpoint extends RichMapFunction<FeedbackEvent, FeedbackEvent>
        implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final long PACE_MILLIS = 20;

    private final long afterRecords;
    private final String marker;
    private transient long seen;
    private transient long completedAfterThreshold;

    FailOnceAfterCheckpoint(long afterRecords, Path marker) {
        this.afterRecords = afterRecords;
        this.marker = marker.toString();
    }

    @Override
    public void open(OpenContext openContext) {
        // a transient field's initializer does not run when Flink deserializes the function in its task
        seen = 0;
        completedAfterThreshold = -1;
    }

    @Override
    public FeedbackEvent map(FeedbackEvent event) {
        seen++;
        if (seen > afterRecords && armed()) {
            if (completedAfterThreshold >= 0) {
                try {
                    Files.writeString(Path.of(marker), "failed after " + seen + " records, checkpoint "
                            + completedAfterThreshold + " complete\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("injected task failure after " + seen + " records");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
        }
        return event;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (seen > afterRecords && completedAfterThreshold < 0 && armed()) {
            completedAfterThreshold = checkpointId;
        }
    }

    private boolean armed() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && !Files.exists(Path.of(marker));
    }
}
