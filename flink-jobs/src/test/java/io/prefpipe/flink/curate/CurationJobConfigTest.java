package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.ingestion.validate.ValidationLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CurationJobConfigTest {

    private static CurationJobConfig.Builder valid() {
        return CurationJobConfig.builder()
                .setBootstrapServers("127.0.0.1:9092")
                .setSnapshotDir(Path.of("/data/snapshots/s-001"));
    }

    @Test
    void build_requiredFieldsOnly_takesEveryOptionDefault() {
        CurationJobConfig c = valid().build();

        assertThat(c.feedbackTopic()).isEqualTo("feedback");
        assertThat(c.deadLetterTopic()).isEqualTo("feedback.dlq");
        assertThat(c.pairsTopic()).isEqualTo("pairs");
        assertThat(c.startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.bounded()).isTrue();
        assertThat(c.parallelism()).isEqualTo(1);
        assertThat(c.emitAfterVotes()).isEqualTo(CurationJobOptions.EMIT_AFTER_VOTES.defaultValue());
        assertThat(c.aggregator()).isEqualTo("mv");
        assertThat(c.validationLimits()).isEqualTo(ValidationLimits.DEFAULTS);
        assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void build_noSnapshotId_usesTheFolderName() {
        assertThat(valid().build().snapshotId()).isEqualTo("s-001");
        assertThat(valid().setSnapshotId("nightly").build().snapshotId()).isEqualTo("nightly");
    }

    @Test
    void build_missingBootstrapServers_namesTheField() {
        assertThatThrownBy(() -> CurationJobConfig.builder().setSnapshotDir(Path.of("s")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bootstrapServers is required");
    }

    @Test
    void build_missingSnapshotDir_namesTheField() {
        assertThatThrownBy(() -> CurationJobConfig.builder().setBootstrapServers("b:1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshotDir is required");
    }

    @Test
    void build_blankTopic_namesTheField() {
        assertThatThrownBy(() -> valid().setPairsTopic(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pairsTopic is required");
    }

    @Test
    void build_emitAfterVotesZero_namesTheFieldAndValue() {
        assertThatThrownBy(() -> valid().setEmitAfterVotes(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitAfterVotes must be >= 1, got 0");
    }

    @Test
    void build_parallelismZero_namesTheField() {
        assertThatThrownBy(() -> valid().setParallelism(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be >= 1, got 0");
    }

    @Test
    void build_negativeOutOfOrderness_namesTheField() {
        assertThatThrownBy(() -> valid().setMaxOutOfOrderness(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxOutOfOrderness must be at least PT0S");
    }

    @Test
    void build_zeroWindow_namesTheField() {
        assertThatThrownBy(() -> valid().setComparisonWindow(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("comparisonWindow must be at least");
    }

    @Test
    void build_unknownAggregator_namesTheFieldAndTheKnownOnes() {
        assertThatThrownBy(() -> valid().setAggregator("dawid-skene-typo").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aggregator 'dawid-skene-typo' is unknown; known: [mv]");
    }

    @Test
    void build_sameTopicTwice_isRefused() {
        assertThatThrownBy(() -> valid().setPairsTopic("feedback").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void build_transactionTimeoutNotAboveCheckpointInterval_namesBothFields() {
        assertThatThrownBy(() -> valid().setCheckpointInterval(Duration.ofMinutes(20)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transactionTimeout (PT15M) must be longer than checkpointInterval (PT20M)");
    }

    @Test
    void setter_null_namesTheField() {
        assertThatThrownBy(() -> valid().setDedupeTtl(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dedupeTtl");
    }
}
