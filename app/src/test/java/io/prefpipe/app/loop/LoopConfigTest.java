package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.labeling.sampling.Pairing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopConfigTest {
    private static final String MINIMAL = """
            kafka:
              bootstrap: 127.0.0.1:9092
            policy:
              initial: models/sft
            """;

    @TempDir
    Path tmp;

    private static LoopConfig read(String yaml) {
        return LoopConfig.read(LoopConfig.parse(yaml));
    }

    @Test
    void read_minimal_fillsEveryDefault() {
        LoopConfig c = read(MINIMAL);
        assertThat(c.name()).isEqualTo("prefpipe-loop");
        assertThat(c.dir()).isEqualTo(Path.of("prefpipe-out", "loop"));
        assertThat(c.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(c.kafka().topics()).containsExactly("feedback", "feedback.json", "feedback.dlq", "pairs",
                "annotators", "checkpoints", "candidates");
        assertThat(c.curation().run()).isTrue();
        assertThat(c.curation().jobDir()).isEqualTo(c.dir().resolve("curation").resolve("job"));
        assertThat(c.curation().startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.schedule()).isEqualTo(new LoopSchedule(1_000, Duration.ofMinutes(30), 100, 0,
                Duration.ofSeconds(5)));
        assertThat(c.initialPolicy()).isEqualTo(Path.of("models/sft"));
        assertThat(c.reference()).isEqualTo(AlignmentLoop.Reference.INITIAL);
        assertThat(c.optimize().loss()).isEqualTo("dpo");
        assertThat(c.optimize().steps()).isEqualTo(300);
        assertThat(c.optimize().epochs()).isZero();
        assertThat(c.optimize().epsilon()).isNull();
        assertThat(c.rewardModel().refresh()).isTrue();
        assertThat(c.candidates().enabled()).isTrue();
        assertThat(c.candidates().pairing()).isEqualTo(Pairing.TOURNAMENT);
        assertThat(c.synthetic()).isNull();
    }

    @Test
    void read_everyField_takesTheGivenValues() {
        LoopConfig c = read("""
                name: nightly
                dir: /data/loop
                seed: 7
                kafka:
                  bootstrap: broker:9092
                  topics: {feedback: fb, checkpoints: ckpts, candidates: cands}
                curation:
                  run: false
                  job-dir: /data/curate/live
                  group-id: g
                  starting-offsets: committed
                  aggregator: mv
                  emit-after-votes: 5
                  comparison-window: 10m
                  checkpoint-interval: 500ms
                  parallelism: 2
                schedule: {every-pairs: 50, every: 2h, min-pairs: 10, after-candidates: 0.9, poll: PT1S}
                policy: {initial: ckpt/it-3, reference: previous}
                optimize: {loss: rdpo, beta: 0.3, epsilon: 0.2, epochs: 2, batch-size: 8, learning-rate: 5.0e-5,
                           held-out: 0.2}
                reward-model: {initial: rm0, refresh: false, steps: 10}
                evaluate: {kl-samples: 16, max-new-tokens: 20}
                candidates: {prompts: 10, samples-per-prompt: 6, accept: 3, rso-beta: 1.5, pairing: first-round,
                             temperature: 0.8, max-new-tokens: 24}
                synthetic: {annotators: 10, judgements-per-comparison: 5, eval-samples-per-prompt: 2}
                """);
        assertThat(c.name()).isEqualTo("nightly");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.kafka().topics()).containsExactly("fb", "feedback.json", "feedback.dlq", "pairs", "annotators",
                "ckpts", "cands");
        assertThat(c.curation()).isEqualTo(new LoopConfig.Curation(false, Path.of("/data/curate/live"),
                Path.of("/data/loop/curation/checkpoints"), "g", StartingOffsets.COMMITTED, "mv", 5,
                Duration.ofMinutes(10), Duration.ofMillis(500), 2, Map.of()));
        assertThat(c.schedule()).isEqualTo(new LoopSchedule(50, Duration.ofHours(2), 10, 0.9, Duration.ofSeconds(1)));
        assertThat(c.reference()).isEqualTo(AlignmentLoop.Reference.PREVIOUS);
        assertThat(c.optimize()).isEqualTo(new LoopConfig.Optimize("rdpo", 0.3, 0.2, null, 0, 2, 8, 5e-5, 0.2, 0.5,
                8));
        assertThat(c.rewardModel()).isEqualTo(new LoopConfig.RewardModel(Path.of("rm0"), false, 10, 0, 16, 1e-4));
        assertThat(c.candidates()).isEqualTo(new LoopConfig.Candidates(true, 10, 6, 3, 1.5, Pairing.FIRST_ROUND, 0.8,
                24));
        assertThat(c.synthetic()).isEqualTo(new LoopConfig.Synthetic(10, 5, 2, 0.7));
    }

    @Test
    void read_flinkSettings_arePassedAsTextInTheirOrder() {
        LoopConfig c = read(MINIMAL + """
                curation:
                  flink:
                    state.backend.type: rocksdb
                    execution.checkpointing.incremental: true
                    taskmanager.memory.managed.fraction: 0.2
                """);

        assertThat(c.curation().flinkSettings()).containsExactly(entry("state.backend.type", "rocksdb"),
                entry("execution.checkpointing.incremental", "true"),
                entry("taskmanager.memory.managed.fraction", "0.2"));
    }

    @Test
    void read_wrongFields_areRefusedNamingTheField() {
        assertRefused(MINIMAL + "schedule: {every-pairs: 0}\n", "schedule.every-pairs: must be >= 1, got 0");
        assertRefused(MINIMAL + "schedule: {every: soon}\n", "schedule.every: must be a duration");
        assertRefused(MINIMAL + "schedule: {every-pairs: 10, min-pairs: 20}\n", "schedule.min-pairs: (20) must not"
                + " exceed every-pairs (10)");
        assertRefused(MINIMAL + "schedul: {every-pairs: 10}\n", "schedul: unknown field; known top-level fields:");
        assertRefused(MINIMAL + "optimize: {los: dpo}\n", "optimize.los: unknown field; known fields of optimize:");
        assertRefused(MINIMAL + "optimize: {loss: ppo}\n", "optimize.loss: must be one of dpo, cdpo, rdpo");
        assertRefused(MINIMAL + "optimize: {loss: dpo, epsilon: 0.1}\n", "optimize.epsilon: applies to cdpo and"
                + " rdpo only");
        assertRefused(MINIMAL + "optimize: {steps: 10, epochs: 2}\n", "optimize.epochs: give steps or epochs, not"
                + " both");
        assertRefused(MINIMAL + "optimize: {beta: 0}\n", "optimize.beta: must be > 0, got 0");
        assertRefused(MINIMAL + "optimize: {steps: many}\n", "optimize.steps: must be a whole number, got 'many'");
        assertRefused(MINIMAL + "policy: {initial: x, reference: parent}\n", "policy.reference: must be one of");
        assertRefused(MINIMAL + "curation: {aggregator: best}\n", "curation.aggregator: must be one of");
        assertRefused(MINIMAL + "curation: {run: yes please}\n", "curation.run: must be true or false");
        assertRefused(MINIMAL + "curation: {run: false}\n", "curation.job-dir: is required when run is false");
        assertRefused(MINIMAL + "curation: {run: false, job-dir: j, flink: {state.backend.type: rocksdb}}\n",
                "curation.flink: configures the job the loop runs; with run: false");
        assertRefused(MINIMAL + "curation: {flink: rocksdb}\n", "curation.flink: must be a mapping of settings");
        assertRefused(MINIMAL + "curation: {flink: {state.backend.type: [rocksdb]}}\n",
                "curation.flink.state.backend.type: must be a text, number or true/false, got a list");
        assertRefused(MINIMAL + "candidates: {samples-per-prompt: 4, accept: 6}\n", "candidates.accept: (6) must not"
                + " exceed samples-per-prompt (4)");
        assertRefused(MINIMAL + "reward-model: {refresh: false}\n", "candidates.enabled: needs a reward model");
        assertRefused(MINIMAL + "candidates: {enabled: false}\nschedule: {after-candidates: 0.5}\n",
                "schedule.after-candidates: needs candidates.enabled: true");
        assertRefused(MINIMAL + "synthetic: {judgements-per-comparison: 2}\n", "synthetic.judgements-per-comparison:"
                + " (2) must be >= curation.emit-after-votes (3)");
        assertRefused(MINIMAL + "name: 'my loop'\n", "name: must be letters, digits");
        assertRefused(MINIMAL + "kafka: {bootstrap: b, topics: {pairs: feedback}}\n", "kafka.topics: must all differ");
        assertRefused("kafka: {bootstrap: b}\n", "policy.initial: is required");
        assertRefused("- a\n- b\n", "the top level must be a mapping of fields, got a list");
        assertRefused("kafka: [unclosed\n", "not valid YAML at line");
    }

    @Test
    void read_syntheticWithoutValues_isTheSimulatedWorldWithDefaults() {
        assertThat(read(MINIMAL + "synthetic:\n").synthetic()).isEqualTo(new LoopConfig.Synthetic(20, 3, 8, 0.7));
    }

    @Test
    void with_setsAndRemovesDottedFields() {
        LoopConfig c = LoopConfig.read(LoopConfig.with(LoopConfig.with(LoopConfig.with(LoopConfig.parse(MINIMAL
                + "optimize: {epochs: 2}\n"), "optimize.epochs", null), "optimize.steps", 25), "kafka.topics.pairs",
                "p2"));
        assertThat(c.optimize().steps()).isEqualTo(25);
        assertThat(c.optimize().epochs()).isZero();
        assertThat(c.kafka().pairs()).isEqualTo("p2");
    }

    @Test
    void load_namesTheFileInErrorsAndAppliesOverrides() throws IOException {
        Path file = Files.writeString(tmp.resolve("prefpipe.yaml"), MINIMAL + "seed: -1.5\n");
        assertThatThrownBy(() -> LoopConfig.load(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": seed: must be a whole number, got -1.5");
        assertThat(LoopConfig.load(file, Map.of("seed", 3, "kafka.bootstrap", "other:1")))
                .extracting(LoopConfig::seed, c -> c.kafka().bootstrap()).containsExactly(3L, "other:1");
        assertThatThrownBy(() -> LoopConfig.load(tmp.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.yaml does not exist");
    }

    @Test
    void committedExample_isValid() throws IOException {
        // tests run in the module's folder; the example is at the repository's root
        LoopConfig c = LoopConfig.load(Path.of("..", "prefpipe.yaml"), Map.of("kafka.bootstrap", "127.0.0.1:9092"));
        assertThat(c.name()).isNotBlank();
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
