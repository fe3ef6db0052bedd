package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.kafka.StartingOffsets;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class CurationJobOptionsTest {

    private static Map<String, String> required() {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap-servers", "127.0.0.1:9092");
        m.put("snapshot-dir", "/tmp/snap-7");
        return m;
    }

    @Test
    void all_listsEveryDeclaredOptionOnceWithADescription() throws Exception {
        List<ConfigOption<?>> declared = new ArrayList<>();
        for (Field f : CurationJobOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                declared.add((ConfigOption<?>) f.get(null));
            }
        }

        assertThat(CurationJobOptions.all()).containsExactlyElementsOf(declared);
        assertThat(CurationJobOptions.all()).extracting(ConfigOption::key).doesNotHaveDuplicates();
        assertThat(CurationJobOptions.all()).allSatisfy(o ->
                assertThat(o.description().toString()).as(o.key()).isNotBlank());
    }

    @Test
    void toConfig_requiredOnly_equalsTheBuilderDefaults() {
        CurationJobConfig fromOptions = CurationJobOptions.toConfig(required());
        CurationJobConfig fromBuilder = CurationJobConfig.builder()
                .setBootstrapServers("127.0.0.1:9092")
                .setSnapshotDir(Path.of("/tmp/snap-7"))
                .build();

        assertThat(fromOptions).isEqualTo(fromBuilder);
    }

    @Test
    void toConfig_parsesEveryKind() {
        Map<String, String> m = required();
        m.put("bounded", "false");
        m.put("starting-offsets", "COMMITTED");
        m.put("emit-after-votes", "5");
        m.put("comparison-window", "30 min");
        m.put("checkpoint-interval", "2 s");
        m.put("validation.max-responses", "4");
        m.put("aggregator", "ds");
        m.put("ambiguity-threshold", "0.75");
        m.put("annotators-topic", "annotators.v2");
        m.put("feedback-json-topic", "feedback.json.v2");
        m.put("estimator.window-votes", "20000");
        m.put("estimator.refit-every-votes", "500");
        m.put("estimator.refit-interval", "30 s");

        CurationJobConfig c = CurationJobOptions.toConfig(m);

        assertThat(c.bounded()).isFalse();
        assertThat(c.startingOffsets()).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(c.emitAfterVotes()).isEqualTo(5);
        assertThat(c.comparisonWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.validationLimits().maxResponses()).isEqualTo(4);
        assertThat(c.snapshotId()).isEqualTo("snap-7");
        assertThat(c.aggregator()).isEqualTo("ds");
        assertThat(c.ambiguityThreshold()).isEqualTo(0.75);
        assertThat(c.annotatorsTopic()).isEqualTo("annotators.v2");
        assertThat(c.feedbackJsonTopic()).isEqualTo("feedback.json.v2");
        assertThat(c.estimatorWindowVotes()).isEqualTo(20_000);
        assertThat(c.estimatorRefitEveryVotes()).isEqualTo(500);
        assertThat(c.estimatorRefitInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void toConfig_ambiguityThresholdOutOfRange_namesTheField() {
        Map<String, String> m = required();
        m.put("ambiguity-threshold", "0.2");

        assertThatThrownBy(() -> CurationJobOptions.toConfig(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ambiguityThreshold");
    }

    @Test
    void toConfig_unknownKey_namesTheKey() {
        Map<String, String> m = required();
        m.put("emit-after-vote", "5");

        assertThatThrownBy(() -> CurationJobOptions.toConfig(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[emit-after-vote]");
    }

    @Test
    void toConfig_flinkPrefixedKeys_areFlinkSettings() {
        Map<String, String> m = required();
        m.put("flink.state.backend.type", "rocksdb");
        m.put("flink.execution.checkpointing.incremental", "true");

        CurationJobConfig c = CurationJobOptions.toConfig(m);

        assertThat(c.flinkSettings()).containsExactly(Map.entry("execution.checkpointing.incremental", "true"),
                Map.entry("state.backend.type", "rocksdb"));
        assertThat(CurationJobOptions.toConfig(required()).flinkSettings()).isEmpty();
    }

    @Test
    void toConfig_unparseableValue_namesTheKey() {
        Map<String, String> m = required();
        m.put("comparison-window", "soon");

        assertThatThrownBy(() -> CurationJobOptions.toConfig(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("comparison-window");
    }
}
