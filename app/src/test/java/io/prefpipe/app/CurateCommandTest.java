package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.CurationJobOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CurateCommandTest {
    @Test
    void parse_onlyRequiredArguments_takesTheJobsDefaults() {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots");
        assertThat(command.aggregator).isEqualTo(CurationJobOptions.AGGREGATOR.defaultValue());
        assertThat(command.emitAfterVotes).isEqualTo(CurationJobOptions.EMIT_AFTER_VOTES.defaultValue());
        assertThat(command.windowVotes).isEqualTo(CurationJobOptions.ESTIMATOR_WINDOW_VOTES.defaultValue());
        assertThat(command.refitIntervalSeconds)
                .isEqualTo(CurationJobOptions.ESTIMATOR_REFIT_INTERVAL.defaultValue().toSeconds());
        assertThat(command.ambiguityThreshold).isEqualTo(CurationJobOptions.AMBIGUITY_THRESHOLD.defaultValue());
        assertThat(command.groupId).isEqualTo(CurationJobOptions.GROUP_ID.defaultValue());
        assertThat(command.topics.feedback).isEqualTo("feedback");
        assertThat(command.jsonTopic).isEqualTo(CurationJobOptions.FEEDBACK_JSON_TOPIC.defaultValue());
    }
}
