package io.prefpipe.kafka.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker for all tests of a class, started before the first and closed after the last, as Flink's
 * {@code MiniClusterExtension} does for a cluster. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * Shipped in this module's test jar, so every module's integration tests share one lifecycle.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.builder().build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker's address. */
    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll of the test class;"
                    + " register the extension on a static field");
        }
        return broker.bootstrapServers();
    }
}
