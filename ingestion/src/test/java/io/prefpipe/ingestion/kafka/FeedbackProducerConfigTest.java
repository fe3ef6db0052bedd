package io.prefpipe.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedbackProducerConfigTest {

    @Test
    void build_onlyBootstrap_usesTheDefaults() {
        FeedbackProducerConfig c = FeedbackProducerConfig.builder().setBootstrapServers("127.0.0.1:9092").build();
        assertThat(c.feedbackTopic()).isEqualTo("feedback");
        assertThat(c.deadLetterTopic()).isEqualTo("feedback.dlq");
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.producerProperties()).isEmpty();
    }

    @Test
    void build_withoutBootstrap_namesIt() {
        assertThatThrownBy(() -> FeedbackProducerConfig.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bootstrapServers");
    }

    @Test
    void setters_badValues_nameTheField() {
        FeedbackProducerConfig.Builder b = FeedbackProducerConfig.builder();
        assertThatThrownBy(() -> b.setBootstrapServers(" ")).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> b.setFeedbackTopic("")).hasMessageContaining("feedbackTopic");
        assertThatThrownBy(() -> b.setDeadLetterTopic(null)).hasMessageContaining("deadLetterTopic");
        assertThatThrownBy(() -> b.setCloseTimeout(Duration.ofSeconds(-1))).hasMessageContaining("closeTimeout");
    }

    @Test
    void setProducerProperty_managedOrUnknownKey_isRefused() {
        FeedbackProducerConfig.Builder b = FeedbackProducerConfig.builder();
        assertThatThrownBy(() -> b.setProducerProperty("acks", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'acks'");
        assertThatThrownBy(() -> b.setProducerProperty("enable.idempotence", "false"))
                .hasMessageContaining("enable.idempotence");
        assertThatThrownBy(() -> b.setProducerProperty("lingerms", "5"))
                .hasMessageContaining("'lingerms' is not a Kafka producer property");
        assertThat(b.setBootstrapServers("h:1").setProducerProperty("linger.ms", "50").build().producerProperties())
                .containsEntry("linger.ms", "50");
    }

    @Test
    void build_sameTopicTwice_isRefused() {
        assertThatThrownBy(() -> FeedbackProducerConfig.builder().setBootstrapServers("h:1")
                .setDeadLetterTopic("feedback").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    }
}
