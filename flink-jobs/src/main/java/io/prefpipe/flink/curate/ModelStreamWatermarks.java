package io.prefpipe.flink.curate;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes the model stream on unchanged but takes it out of curation's event time, except at the end of a bounded
 * input.
 *
 * <p>Why: curation's watermark is the minimum of its active inputs. Were the estimator's watermarks forwarded, they
 * would reach curation later than the same watermarks on the event path (one more operator, two more network
 * exchanges), and which comparisons close by window, and so which events come too late, would depend on that lag
 * instead of on the input alone. So, from {@link #open()} on, before any record:
 *
 * <ul>
 *   <li>bounded: the watermark is {@link #HOLD}, which never holds back a real event time, and only the end-of-input
 *       watermark ({@code Long.MAX_VALUE}) passes through, after every model before it. When the event path has
 *       ended, curation's watermark stops at {@code HOLD} until the estimator's final model, fitted on all the votes,
 *       has arrived; {@link CurateComparisons} waits for it.
 *   <li>unbounded: the stream is idle for good, so it never moves curation's watermark, not even while the event
 *       path is idle (an active {@code HOLD} would then close every open comparison). There is no end of input to
 *       wait for.
 * </ul>
 *
 * Upstream watermark statuses are not passed on.
 */
final class ModelStreamWatermarks<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** The watermark of a bounded model stream until it ends: after every real event time, before the end of input. */
    static final long HOLD = Long.MAX_VALUE - 1;

    private final boolean bounded;

    ModelStreamWatermarks(boolean bounded) {
        this.bounded = bounded;
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (bounded) {
            output.emitWatermark(new Watermark(HOLD));
        } else {
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (bounded && mark.getTimestamp() == Watermark.MAX_WATERMARK.getTimestamp()) {
            super.processWatermark(mark);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus watermarkStatus) {
        // The stream's status is fixed in open(); see the class comment.
    }
}
