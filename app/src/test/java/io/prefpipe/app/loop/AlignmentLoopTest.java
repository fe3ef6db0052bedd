package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignmentLoopTest {

    @TempDir
    Path dir;

    /** Records every call; "curates" pairs on demand; can crash once at a chosen step of a chosen iteration. */
    private static class FakeSteps implements LoopSteps {
        final List<String> calls = new ArrayList<>();
        final List<String> published = new ArrayList<>();
        long curated;
        long cutUpTo;
        int crashIteration;
        String crashAt;

        void maybeCrash(int iteration, String step, Path out) throws IOException {
            calls.add(iteration + ":" + step);
            if (iteration == crashIteration && step.equals(crashAt)) {
                crashIteration = 0;
                if (out != null) {
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("half-written"), "x");
                }
                throw new IOException("simulated crash in " + step);
            }
        }

        @Override
        public long pendingPairs() {
            return curated - cutUpTo;
        }

        @Override
        public Snapshot cutSnapshot(int iteration, String previousSnapshotId, Path out) throws IOException {
            assertThat(out).doesNotExist();
            assertThat(previousSnapshotId).as("the cut the loop's cut must follow")
                    .isEqualTo(iteration == 1 ? null : "snap-" + (iteration - 1));
            maybeCrash(iteration, "cut", out);
            long pairs = curated - cutUpTo;
            Files.createDirectories(out);
            Files.writeString(out.resolve("range"), cutUpTo + ".." + curated);
            cutUpTo = curated;
            return new Snapshot("snap-" + iteration, out, pairs);
        }

        @Override
        public void refreshRewardModel(int iteration, Snapshot snapshot, Path previous, Path out) throws IOException {
            maybeCrash(iteration, "rm<" + (previous == null ? "none" : name(previous)), out);
            Files.createDirectories(out);
        }

        @Override
        public Checkpoint optimize(int iteration, Snapshot snapshot, Path parent, Path reference, Path rewardModel,
                Path out) throws IOException {
            assertThat(out).doesNotExist();
            maybeCrash(iteration, "optimize<" + name(parent) + "," + name(reference), out);
            Path dir = Files.createDirectories(out.resolve("ckpt-" + iteration));
            return new Checkpoint("ckpt-" + iteration, dir);
        }

        @Override
        public Map<String, Double> evaluate(int iteration, Snapshot snapshot, Path checkpoint, Path reference,
                Path rewardModel) throws IOException {
            maybeCrash(iteration, "evaluate", null);
            return Map.of("eval/win_rate", 0.5 + 0.1 * iteration);
        }

        @Override
        public void publishCheckpoint(IterationRecord record) throws IOException {
            maybeCrash(record.iteration(), "publish", null);
            if (!published.contains(record.checkpointId())) {
                published.add(record.checkpointId());
            }
        }

        @Override
        public long generateCandidates(IterationRecord record, Snapshot snapshot, Path checkpoint, Path rewardModel)
                throws IOException {
            assertThat(checkpoint.getFileName()).hasToString("ckpt-" + record.iteration());
            maybeCrash(record.iteration(), "generate", null);
            curated += 10;
            return 10;
        }

        /** The iteration folder of a checkpoint or reward model, else the file name. */
        private static String name(Path path) {
            String file = path.getFileName().toString();
            if (file.startsWith("ckpt-")) {
                return path.getParent().getParent().getFileName().toString();
            }
            return file.equals("reward-model") ? path.getParent().getFileName().toString() : file;
        }
    }

    private AlignmentLoop loop(FakeSteps steps, AlignmentLoop.Reference reference, boolean refresh, Clock clock) {
        Path initial = dir.resolve("initial");
        return new AlignmentLoop(new AlignmentLoop.Settings(dir.resolve("loop"), initial, dir.resolve("rm0"), refresh,
                reference, new LoopSchedule(10, Duration.ofMinutes(5), 1, Duration.ofSeconds(1))), steps, clock,
                d -> {}, AlignmentLoop.Listener.NONE);
    }

    private static Clock fixed() {
        return Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void run_threeIterations_chainsCheckpointsAndSnapshots() throws Exception {
        FakeSteps steps = new FakeSteps();
        steps.curated = 25;
        List<IterationRecord> done = loop(steps, AlignmentLoop.Reference.INITIAL, true, fixed()).run(3);

        assertThat(done).hasSize(3).allMatch(IterationRecord::isComplete);
        assertThat(done).extracting(IterationRecord::parentCheckpointId).containsExactly(null, "ckpt-1", "ckpt-2");
        assertThat(done).extracting(IterationRecord::newPairs).containsExactly(25L, 10L, 10L);
        assertThat(steps.calls).containsExactly(
                "1:cut", "1:rm<rm0", "1:optimize<initial,initial", "1:evaluate", "1:publish", "1:generate",
                "2:cut", "2:rm<iteration-0001", "2:optimize<iteration-0001,initial", "2:evaluate", "2:publish",
                "2:generate",
                "3:cut", "3:rm<iteration-0002", "3:optimize<iteration-0002,initial", "3:evaluate", "3:publish",
                "3:generate");
        assertThat(steps.published).containsExactly("ckpt-1", "ckpt-2", "ckpt-3");
        assertThat(done.get(2).metrics()).containsEntry("eval/win_rate", 0.5 + 0.3);
        assertThat(dir.resolve("loop").resolve(CandidateOffsets.KEPT_FROM_THE_START)).as("begun keeping offsets")
                .isRegularFile();
        // a restarted loop with nothing left to do does nothing
        assertThat(loop(steps, AlignmentLoop.Reference.INITIAL, true, fixed()).run(3)).isEqualTo(done);
        assertThat(steps.calls).hasSize(18);
    }

    @Test
    void run_previousAsReferenceWithoutRefresh_anchorsToTheParentAndKeepsTheRewardModel() throws Exception {
        FakeSteps steps = new FakeSteps();
        steps.curated = 5;
        List<IterationRecord> done = loop(steps, AlignmentLoop.Reference.PREVIOUS, false, fixed()).run(2);
        assertThat(steps.calls).contains("2:optimize<iteration-0001,iteration-0001")
                .noneMatch(call -> call.contains("rm<"));
        assertThat(done).extracting(IterationRecord::rewardModelDir)
                .containsOnly(dir.resolve("rm0").toString());
    }

    @Test
    void run_crashAtAnyStep_resumesThereWithoutRepeatingOrSkipping() throws Exception {
        List<IterationRecord> reference;
        FakeSteps clean = new FakeSteps();
        clean.curated = 25;
        reference = new AlignmentLoop(new AlignmentLoop.Settings(dir.resolve("clean"), dir.resolve("initial"), null,
                true, AlignmentLoop.Reference.PREVIOUS, new LoopSchedule(10, Duration.ofMinutes(5), 1,
                        Duration.ofSeconds(1))), clean, fixed(), d -> {}, AlignmentLoop.Listener.NONE).run(3);

        for (String step : List.of("cut", "rm<iteration-0001", "optimize<iteration-0001,iteration-0001", "evaluate",
                "publish", "generate")) {
            Path folder = dir.resolve("crash-" + step.replaceAll("[^a-z0-9]", "_"));
            FakeSteps steps = new FakeSteps();
            steps.curated = 25;
            steps.crashIteration = 2;
            steps.crashAt = step;
            AlignmentLoop.Settings settings = new AlignmentLoop.Settings(folder, dir.resolve("initial"), null, true,
                    AlignmentLoop.Reference.PREVIOUS, new LoopSchedule(10, Duration.ofMinutes(5), 1,
                            Duration.ofSeconds(1)));
            assertThatThrownBy(() -> new AlignmentLoop(settings, steps, fixed(), d -> {},
                    AlignmentLoop.Listener.NONE).run(3)).hasMessageContaining("simulated crash");
            IterationRecord crashed = LoopJournal.open(folder).latest().orElseThrow();
            assertThat(crashed.iteration()).isEqualTo(2);
            assertThat(crashed.isComplete()).isFalse();

            List<IterationRecord> done = new AlignmentLoop(settings, steps, fixed(), d -> {},
                    AlignmentLoop.Listener.NONE).run(3);
            // the crashed step ran twice, every other step once
            assertThat(steps.calls.stream().filter(c -> c.equals("2:" + step)).count()).as(step).isEqualTo(2);
            assertThat(steps.calls).as(step).hasSize(19);
            assertThat(steps.published).as(step).containsExactly("ckpt-1", "ckpt-2", "ckpt-3");
            assertThat(done).extracting(IterationRecord::newPairs).as(step)
                    .isEqualTo(reference.stream().map(IterationRecord::newPairs).toList());
            assertThat(done).extracting(IterationRecord::checkpointId).as(step)
                    .isEqualTo(reference.stream().map(IterationRecord::checkpointId).toList());
            assertThat(folder.resolve("iteration-0002/checkpoint/half-written")).doesNotExist();
        }
    }

    @Test
    void run_waitsForEnoughPairsOrTheInterval() throws Exception {
        FakeSteps steps = new FakeSteps();
        steps.curated = 3;
        Instant[] now = {Instant.parse("2026-11-28T12:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        List<Duration> slept = new ArrayList<>();
        AlignmentLoop loop = new AlignmentLoop(new AlignmentLoop.Settings(dir.resolve("loop"), dir.resolve("initial"),
                null, false, AlignmentLoop.Reference.INITIAL, new LoopSchedule(100, Duration.ofMinutes(5), 5,
                        Duration.ofMinutes(1))), new FakeSteps() {
                    @Override
                    public long generateCandidates(IterationRecord record, Snapshot snapshot, Path checkpoint,
                            Path rewardModel) {
                        return 0;
                    }

                    @Override
                    public long pendingPairs() {
                        // a pair is curated per minute
                        return steps.pendingPairs() + Duration.between(Instant.parse("2026-11-28T12:00:00Z"),
                                now[0]).toMinutes();
                    }
                }, clock, d -> {
                    slept.add(d);
                    now[0] = now[0].plus(d);
                }, AlignmentLoop.Listener.NONE);
        List<IterationRecord> done = loop.run(2);
        // the first iteration needs minPairs = 5: 3 curated + 2 minutes; the second, 5 minutes after the first began
        assertThat(done.get(0).started()).isEqualTo(Instant.parse("2026-11-28T12:02:00Z"));
        assertThat(done.get(1).started()).isEqualTo(Instant.parse("2026-11-28T12:07:00Z"));
        assertThat(slept).allMatch(d -> d.equals(Duration.ofMinutes(1)));
    }
}
