package io.prefpipe.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same scenario against a Kafka broker in a container; skipped cleanly where Docker is not available. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineITCase {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @TempDir Path out;

    @Test
    void pipeline_onContainerBroker_reconcilesAndTrains() throws Exception {
        PipelineScenario.runAndVerify(KAFKA.getBootstrapServers(), out);
    }
}
