package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopConfigRecordTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(output, true, StandardCharsets.UTF_8);

    /** The loop's config in {@code tmp/loop}, with {@code yaml} lines appended. */
    private LoopConfig config(String yaml) {
        return LoopConfig.read(LoopConfig.parse("""
                dir: %s
                kafka: {bootstrap: 127.0.0.1:9092}
                policy: {initial: %s}
                """.formatted(tmp.resolve("loop"), tmp.resolve("sft")) + yaml));
    }

    private Path dir() {
        return tmp.resolve("loop");
    }

    private LoopConfigRecord reconcile(LoopConfig config, boolean accept) throws Exception {
        return LoopConfigRecord.reconcile(dir(), config, accept, CLOCK, console);
    }

    /** Journals iterations 1..complete, all steps done, then {@code unfinishedSteps} steps of the next if > 0. */
    private void journal(int complete, int unfinishedSteps) throws Exception {
        LoopJournal journal = LoopJournal.open(dir());
        for (int i = 1; i <= complete + (unfinishedSteps > 0 ? 1 : 0); i++) {
            IterationRecord r = IterationRecord.start(i, CLOCK.instant(), null, null);
            int steps = i <= complete ? LoopStep.values().length : unfinishedSteps;
            for (int s = 0; s < steps; s++) {
                r = r.done(LoopStep.values()[s]);
            }
            journal.record(r);
        }
    }

    @Test
    void reconcile_unchangedConfig_resumesWithTheRecordAsItWas() throws Exception {
        LoopConfigRecord first = reconcile(config("optimize: {beta: 0.1}"), false);
        journal(2, 0);
        String written = Files.readString(dir().resolve(LoopConfigRecord.FILE_NAME));

        LoopConfigRecord again = reconcile(config("optimize: {beta: 0.1}"), false);

        assertThat(again).isEqualTo(first);
        assertThat(again.since()).isEqualTo(1);
        assertThat(again.changes()).isEmpty();
        assertThat(Files.readString(dir().resolve(LoopConfigRecord.FILE_NAME))).isEqualTo(written);
        assertThat(again.values()).containsEntry("optimize.beta", "0.1").containsEntry("seed", "42");
    }

    @Test
    void reconcile_changedSettingsThatCount_refusedNamingEachWithOldAndNewValueAndNothingWritten() throws Exception {
        reconcile(config("optimize: {beta: 0.1}"), false);
        journal(2, 0);
        Path file = dir().resolve(LoopConfigRecord.FILE_NAME);
        String written = Files.readString(file);

        assertThatThrownBy(() -> reconcile(config("""
                optimize: {beta: 0.2}
                curation: {aggregator: mv}
                """), false))
                .isInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("the loop in " + dir())
                .hasMessageContaining("\n  curation.aggregator: ds -> mv\n  optimize.beta: 0.1 -> 0.2\n")
                .hasMessageContaining("--accept-config-change")
                .hasMessageContaining("from iteration 3");
        assertThat(Files.readString(file)).isEqualTo(written);
    }

    @Test
    void reconcile_onlyFreeSettingsChanged_resumesWithoutRecordingAChange() throws Exception {
        reconcile(config(""), false);
        journal(1, 0);

        LoopConfigRecord record = reconcile(LoopConfig.read(LoopConfig.parse("""
                dir: %s
                kafka: {bootstrap: other-broker:9093, topics: {checkpoints: ckpt2}}
                policy: {initial: %s}
                schedule: {every-pairs: 50, min-pairs: 5, every: 1m, poll: 1s}
                curation: {checkpoint-interval: 2s, parallelism: 2, group-id: g2}
                """.formatted(dir(), tmp.resolve("sft")))), false);

        assertThat(record.changes()).isEmpty();
        assertThat(record.values()).doesNotContainKeys("kafka.bootstrap", "schedule.every-pairs",
                "curation.checkpoint-interval");
    }

    @Test
    void reconcile_sameValueSpelledDifferently_isNoChange() throws Exception {
        reconcile(config("curation: {comparison-window: 30s}"), false);
        journal(1, 0);
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("sft"));

        LoopConfigRecord record = reconcile(LoopConfig.read(LoopConfig.parse("""
                dir: %s
                kafka: {bootstrap: 127.0.0.1:9092}
                policy: {initial: %s}
                curation: {comparison-window: PT30S}
                """.formatted(dir(), relative))), false);

        assertThat(record.changes()).isEmpty();
    }

    @Test
    void reconcile_changeAccepted_recordedFromTheNextIterationAndTheNewValuesRuleFromThen() throws Exception {
        reconcile(config("optimize: {beta: 0.1}"), false);
        journal(2, 0);

        LoopConfigRecord record = reconcile(config("optimize: {beta: 0.2}"), true);

        assertThat(record.changes()).containsExactly(new LoopConfigRecord.Change(3, LoopStep.CUT_SNAPSHOT,
                CLOCK.instant(), Map.of("optimize.beta", new LoopConfigRecord.ValueChange("0.1", "0.2"))));
        assertThat(record.values()).containsEntry("optimize.beta", "0.2");
        assertThat(record.changesUpTo(2)).isEmpty();
        assertThat(record.changesUpTo(3)).containsExactly("iteration 3 (from cut_snapshot): optimize.beta 0.1 -> 0.2");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("accepted a change");
        // written: the next run reads it back, and the new values are what counts from now on
        assertThat(reconcile(config("optimize: {beta: 0.2}"), false)).isEqualTo(record);
        assertThatThrownBy(() -> reconcile(config("optimize: {beta: 0.1}"), false))
                .hasMessageContaining("optimize.beta: 0.2 -> 0.1");
    }

    @Test
    void reconcile_changeAcceptedMidIteration_recordsTheStepItTakesEffectFrom() throws Exception {
        reconcile(config(""), false);
        journal(1, 3);

        LoopConfigRecord record = reconcile(config("evaluate: {kl-samples: 16}"), true);

        LoopConfigRecord.Change change = record.changes().get(0);
        assertThat(change.iteration()).isEqualTo(2);
        assertThat(change.fromStep()).isEqualTo(LoopStep.values()[3]);
        assertThat(change.changed()).containsOnlyKeys("evaluate.kl-samples");
    }

    @Test
    void reconcile_journalFromBeforeTheRecord_recordsTheConfigAndResumes() throws Exception {
        journal(2, 0);

        LoopConfigRecord record = reconcile(config("optimize: {beta: 0.3}"), false);

        assertThat(record.since()).isEqualTo(3);
        assertThat(dir().resolve(LoopConfigRecord.FILE_NAME)).exists();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("had no record of the loop's settings");
        assertThatThrownBy(() -> reconcile(config("optimize: {beta: 0.4}"), false))
                .hasMessageContaining("optimize.beta: 0.3 -> 0.4");
    }

    @Test
    void reconcile_noIterationRanYet_replacesTheRecordOfAnEarlierStart() throws Exception {
        reconcile(config("optimize: {beta: 0.1}"), false);

        LoopConfigRecord record = reconcile(config("optimize: {beta: 0.2}"), false);

        assertThat(record.values()).containsEntry("optimize.beta", "0.2");
        assertThat(record.changes()).isEmpty();
    }

    @Test
    void reconcile_syntheticSectionAdded_isAChangeOfEachOfItsSettings() throws Exception {
        reconcile(config(""), false);
        journal(1, 0);

        assertThatThrownBy(() -> reconcile(config("synthetic: {annotators: 8}"), false))
                .hasMessageContaining("synthetic.annotators: none -> 8");
    }

    @Test
    void values_everyKeyIsAFieldOfTheConfigFile() {
        JsonNode base = LoopConfig.parse("""
                kafka: {bootstrap: 127.0.0.1:9092}
                policy: {initial: sft}
                """);
        Set<String> keys = new LinkedHashSet<>(LoopConfigRecord.values(LoopConfig.read(base)).keySet());
        keys.addAll(LoopConfigRecord.FREE);
        assertThat(keys).contains("optimize.beta", "policy.initial", "kafka.topics.feedback", "synthetic.annotators");
        for (String key : keys) {
            // a mapping is no setting's valid value but curation.flink's, which is one; a known field says what is
            // wrong with its value, an unknown one is named
            Object wrong = key.equals("curation.flink") ? List.of(1) : Map.of("x", 1);
            assertThatThrownBy(() -> LoopConfig.read(LoopConfig.with(base, key, wrong)))
                    .as(key).hasMessageStartingWith(key + ": ").hasMessageNotContaining("unknown field");
        }
    }
}
