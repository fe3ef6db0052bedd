package io.prefpipe.flink.curate;

import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A probe that makes subtask 0 of the job's first attempt throw once it has passed {@code afterRecords} events and a
 * checkpoint has completed since, so the job must restore that checkpoint. Restarted attempts pass everything. Until
 * that checkpoint completes, the first attempt slows down (a few ms a record) so a short bounded stream does not end
 * first. When it throws, it writes what it saw to {@code marker}, which the test reads to know the fault happened.
 *
 * <p>No static state: "once" comes from Flink's attempt number, which a restart increments.
 */
final class FailOnceAfterCheckpoint extends RichMapFunction<FeedbackEvent, FeedbackEvent>
        implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final long afterRecords;
    private final String marker;
    private transient long seen;
    private transient long completedAfterThreshold = -1;

    FailOnceAfterCheckpoint(long afterRecords, Path marker) {
        this.afterRecords = afterRecords;
        this.marker = marker.toString();
    }

    @Override
    public FeedbackEvent map(FeedbackEvent event) {
        seen++;
        if (armed() && seen > afterRecords) {
            if (completedAfterThreshold >= 0) {
                try {
                    Files.writeString(Path.of(marker), "failed after " + seen + " records, checkpoint "
                            + completedAfterThreshold + " complete\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("injected task failure after " + seen + " records");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
        }
        return event;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (armed() && seen > afterRecords && completedAfterThreshold < 0) {
            completedAfterThreshold = checkpointId;
        }
    }

    private boolean armed() {
        return getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }
}
