package io.prefpipe.app;

import picocli.CommandLine.Option;

/** The topic names every Kafka-facing command shares. */
final class TopicOptions {
    @Option(names = "--topic", defaultValue = "feedback", description = "Topic of Avro feedback events (default: ${DEFAULT-VALUE}).")
    String feedback;

    @Option(names = "--dlq-topic", defaultValue = "feedback.dlq", description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
    String deadLetters;

    @Option(names = "--pairs-topic", defaultValue = "pairs", description = "Topic of curated pairs (default: ${DEFAULT-VALUE}).")
    String pairs;
}
