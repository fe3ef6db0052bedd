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
        assertThat(c.feedbackJsonTopic()).isEqualTo("feedback.json");
        assertThat(c.deadLetterTopic()).isEqualTo("feedback.dlq");
        assertThat(c.pairsTopic()).isEqualTo("pairs");
        assertThat(c.startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.bounded()).isTrue();
        assertThat(c.parallelism()).isEqualTo(1);
        assertThat(c.emitAfterVotes()).isEqualTo(CurationJobOptions.EMIT_AFTER_VOTES.defaultValue());
        assertThat(c.aggregator()).isEqualTo("mv");
        assertThat(c.annotatorsTopic()).isEqualTo("annotators");
        assertThat(c.ambiguityThreshold()).isEqualTo(0.5);
        assertThat(c.estimatorWindowVotes()).isEqualTo(100_000);
        assertThat(c.estimatorRefitEveryVotes()).isEqualTo(5_000);
        assertThat(c.estimatorRefitInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.validationLimits()).isEqualTo(ValidationLimits.DEFAULTS);
        assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void build_jsonTopicSameAsAnotherTopic_isRefusedNamingBoth() {
        assertThatThrownBy(() -> valid().setFeedbackJsonTopic("feedback").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feedbackTopic, feedbackJsonTopic")
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> valid().setFeedbackJsonTopic(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("feedbackJsonTopic is required");
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
                .hasMessage("snapshotLocation is required");
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
                .hasMessage("aggregator 'dawid-skene-typo' is unknown; known: [ds, ds-position, glad, mv, wawa]");
    }

    @Test
    void build_ambiguityThresholdBelowOneHalf_namesTheFieldAndValue() {
        assertThatThrownBy(() -> valid().setAmbiguityThreshold(0.3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ambiguityThreshold must be in [0.5, 1], got 0.3");
    }

    @Test
    void build_ambiguityThresholdAboveOne_namesTheField() {
        assertThatThrownBy(() -> valid().setAmbiguityThreshold(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ambiguityThreshold must be in [0.5, 1]");
    }

    @Test
    void build_emptyEstimatorWindow_namesTheField() {
        assertThatThrownBy(() -> valid().setEstimatorWindowVotes(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("estimatorWindowVotes must be >= 1, got 0");
    }

    @Test
    void build_estimatorWindowBeyondWhatAWindowHolds_namesTheField() {
        assertThatThrownBy(() -> valid().setEstimatorWindowVotes(Integer.MAX_VALUE).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("estimatorWindowVotes must be at most");
    }

    @Test
    void build_refitEveryZeroVotes_namesTheField() {
        assertThatThrownBy(() -> valid().setEstimatorRefitEveryVotes(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("estimatorRefitEveryVotes must be >= 1, got 0");
    }

    @Test
    void build_zeroRefitInterval_namesTheField() {
        assertThatThrownBy(() -> valid().setEstimatorRefitInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("estimatorRefitInterval must be at least");
    }

    @Test
    void build_refitLessOftenThanTheWindowHolds_namesBothFields() {
        assertThatThrownBy(() -> valid().setEstimatorWindowVotes(1_000).setEstimatorRefitEveryVotes(2_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("estimatorRefitEveryVotes (2000) must not exceed estimatorWindowVotes (1000)");
    }

    @Test
    void build_annotatorsTopicSameAsPairs_isRefused() {
        assertThatThrownBy(() -> valid().setAnnotatorsTopic("pairs").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("annotatorsTopic must differ");
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
