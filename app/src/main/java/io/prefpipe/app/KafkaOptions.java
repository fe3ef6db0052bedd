package io.prefpipe.app;

import picocli.CommandLine.Option;

/** Where the Kafka cluster is. */
final class KafkaOptions {
    @Option(names = "--bootstrap", required = true, defaultValue = "${env:PREFPIPE_BOOTSTRAP}",
            description = "Kafka bootstrap servers HOST:PORT (default: $PREFPIPE_BOOTSTRAP, which `prefpipe broker` prints).")
    String bootstrap;
}
