package io.prefpipe.app;

import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a real single-node Kafka broker until interrupted, so the other commands can be tried against it. */
@Command(
        name = "broker",
        header = "Starts a Kafka broker on 127.0.0.1 with prefpipe's topics.",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a real Kafka broker (KRaft, one node) listening on 127.0.0.1 only, creates prefpipe's topics,",
            "prints the bootstrap address and runs until Ctrl-C."
        })
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Keep the broker's data here across restarts (default: a temporary"
            + " folder deleted on exit).")
    Path dataDir;

    @Option(names = "--port", description = "Listen on this port of 127.0.0.1 (default: a free port).")
    Integer port;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of each topic created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Mixin TopicOptions topics;

    @Option(names = "--json-topic", defaultValue = Topics.FEEDBACK_JSON,
            description = "Topic of feedback in prefpipe's JSON form (default: ${DEFAULT-VALUE}).")
    String jsonTopic;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        if (dataDir != null) {
            builder.setBaseDirectory(dataDir);
        }
        if (port != null) {
            builder.setPort(port);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbeddedKafkaBroker broker = builder.build().start()) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, List.of(topics.feedback, jsonTopic, topics.deadLetters, topics.pairs), partitions,
                    (short) 1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                stopped.countDown();
            }, "prefpipe-broker-shutdown"));
            System.out.println("Kafka broker ready at " + bootstrap);
            System.out.println("Topics: " + topics.feedback + ", " + jsonTopic + ", " + topics.deadLetters + ", "
                    + topics.pairs + " (" + partitions + " partitions each)");
            System.out.println("Use it from another shell with:  export PREFPIPE_BOOTSTRAP=" + bootstrap);
            System.out.println("Press Ctrl-C to stop.");
            System.out.flush();
            stopped.await();
        }
        return 0;
    }
}
