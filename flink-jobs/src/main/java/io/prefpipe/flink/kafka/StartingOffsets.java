package io.prefpipe.flink.kafka;

/** Where a run starts reading each partition of the feedback topic. */
public enum StartingOffsets {
    /** From the earliest offset still in the topic: the snapshot covers all feedback there is. */
    EARLIEST,
    /** From the consumer group's committed offset (earliest where there is none): only feedback new since last run. */
    COMMITTED
}
