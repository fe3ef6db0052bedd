package io.prefpipe.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.optimizer.checkpoint.Checkpoint;
import io.prefpipe.optimizer.data.SnapshotFixture;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.ReferenceLogProbs;
import io.prefpipe.optimizer.train.TrainingStateStore;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.schema.PreferencePair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The training commands end to end on a tiny policy and a snapshot in which "yes" is always preferred to "no":
 * {@code train-rm}, {@code optimize} (pairwise, LiPO, Nash-MD with a reward model and its resume), and {@code eval}.
 */
class TrainingCommandsTest {

    private static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2).setWidth(16).build();

    @TempDir
    Path dir;
    private Path snapshot;
    private Path base;

    @BeforeEach
    void snapshotAndBase() throws IOException {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            pairs.add(SnapshotFixture.pair("p" + i, "question " + i, "yes", "no"));
        }
        snapshot = dir.resolve("snapshot");
        SnapshotFixture.write(snapshot, "yes-over-no", pairs, 10);
        base = dir.resolve("base");
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            policy.save(base);
        }
    }

    @Test
    void trainRm_thenNashMdWithItsRewardModel_resumesFromTheSavedState() throws Exception {
        Path rm = dir.resolve("rm");
        Run trained = run(new TrainRmCommand(), "--snapshot", snapshot.toString(), "--base", base.toString(),
                "--out", rm.toString(), "--steps", "30", "--batch-size", "4", "--lr", "3e-3");
        assertThat(trained.exit()).as(trained.output()).isZero();
        assertThat(trained.output()).contains("held-out", "pairwise accuracy");
        try (RewardModel model = RewardModel.load(rm)) {
            assertThat(model.score("question 99", "yes")).isGreaterThan(model.score("question 99", "no"));
            assertThat(model.info().training()).hasSize(1);
        }

        Path nash = dir.resolve("nash");
        String[] nashArgs = {"--loss", "nash-md", "--snapshot", snapshot.toString(), "--base", base.toString(),
            "--out", nash.toString(), "--reward-model", rm.toString(), "--steps", "4", "--batch-size", "2",
            "--checkpoint-every", "2", "--max-new-tokens", "6"};
        Run optimized = run(new OptimizeCommand(), nashArgs);
        assertThat(optimized.exit()).as(optimized.output()).isZero();
        assertThat(Files.readAllLines(dir.resolve("nash.metrics.jsonl"))).hasSize(4);
        assertThat(new TrainingStateStore(dir.resolve("nash.state")).latest().orElseThrow().manifest().step())
                .isEqualTo(4);
        String finished = fingerprint(nash);

        // resuming the finished run from its saved state takes no more steps and writes the same policy
        Files.move(nash, dir.resolve("nash-first"));
        Run resumed = run(new OptimizeCommand(), append(nashArgs, "--resume"));
        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming after step 4");
        assertThat(fingerprint(nash)).isEqualTo(finished);
    }

    @Test
    void optimizeDpo_thenEval_printsHeldOutMeasures() throws Exception {
        Path dpo = dir.resolve("dpo");
        Run optimized = run(new OptimizeCommand(), "--loss", "dpo", "--snapshot", snapshot.toString(), "--base",
                base.toString(), "--out", dpo.toString(), "--steps", "6", "--batch-size", "4", "--lr", "1e-2",
                "--held-out", "0.25");
        assertThat(optimized.exit()).as(optimized.output()).isZero();
        assertThat(optimized.output()).contains("held-out", "rewards/accuracy");
        assertThat(dpo.resolve(Checkpoint.MODEL_DIR)).isDirectory();
        assertThat(fingerprint(dpo)).isNotEqualTo(fingerprint(base));

        Run evaluated = run(new EvalCommand(), "--model", dpo.toString(), "--reference", base.toString(),
                "--snapshot", snapshot.toString(), "--held-out", "0.25");
        assertThat(evaluated.exit()).as(evaluated.output()).isZero();
        assertThat(evaluated.output()).contains("accuracy");
    }

    @Test
    void optimizeLipo_resumeWithoutSavedState_isRefused() throws Exception {
        Run refused = run(new OptimizeCommand(), "--loss", "lipo", "--snapshot", snapshot.toString(), "--base",
                base.toString(), "--out", dir.resolve("lipo").toString(), "--steps", "2", "--resume");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("--resume: no training state in");
        assertThat(dir.resolve("lipo")).doesNotExist();

        Run trained = run(new OptimizeCommand(), "--loss", "lipo", "--snapshot", snapshot.toString(), "--base",
                base.toString(), "--out", dir.resolve("lipo").toString(), "--steps", "2", "--batch-size", "2");
        assertThat(trained.exit()).as(trained.output()).isZero();
        assertThat(new TrainingStateStore(dir.resolve("lipo.state")).latest().orElseThrow().manifest().step())
                .isEqualTo(2);
    }

    private static String fingerprint(Path policyOrCheckpoint) throws IOException {
        try (PolicyModel policy = PolicyDirs.load(policyOrCheckpoint)) {
            return ReferenceLogProbs.fingerprint(policy);
        }
    }

    private static String[] append(String[] args, String arg) {
        String[] more = Arrays.copyOf(args, args.length + 1);
        more[args.length] = arg;
        return more;
    }

    /** A command's exit code and everything it printed, standard error included. */
    private record Run(int exit, String output) {}

    private static Run run(Callable<Integer> command, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        System.setOut(capture);
        try {
            CommandLine commandLine = new CommandLine(command);
            commandLine.setErr(new PrintWriter(capture, true));
            int exit = commandLine.execute(args);
            return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }
}
