package io.prefpipe.app.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The continuous alignment loop: on a {@link LoopSchedule}, cut a snapshot, refresh the reward model (optional),
 * optimize the policy from the previous checkpoint, evaluate, publish the checkpoint's lineage, and generate new
 * candidates for annotation ({@link LoopStep}); the {@link LoopSteps} do the work.
 *
 * <p>Survives a crash at any point: after every step the {@link LoopJournal} records it, and a loop started on the same
 * folder continues with the first step the latest iteration has not finished. A step interrupted midway runs again
 * from scratch on an emptied output folder; steps are deterministic by seed, and publishing checks for an earlier
 * publication, so a restart neither publishes a checkpoint twice nor skips or repeats a snapshot.
 *
 * <p>Layout of the loop's folder: {@value LoopJournal#FILE_NAME} and one {@code iteration-NNNN/} per iteration with
 * {@code snapshot/}, {@code reward-model/} (when refreshed) and {@code checkpoint/} (which holds the checkpoint's
 * folder); {@link LoopRunner} adds {@value LoopLock#FILE_NAME} and {@value LoopConfigRecord#FILE_NAME}. One loop runs
 * a folder at a time: whoever runs this holds the folder's {@link LoopLock}.
 */
public final class AlignmentLoop {

    /** Which policy the loss anchors to. */
    public enum Reference {
        /** The model the loop started from, every iteration. */
        INITIAL,
        /** The checkpoint the iteration starts from (the previous iterate). */
        PREVIOUS
    }

    /**
     * @param dir the loop's folder
     * @param initialPolicy the policy the first iteration starts from
     * @param initialRewardModel the reward model before any refresh, or null for none
     * @param refreshRewardModel whether each iteration trains the reward model further on its snapshot
     * @param reference what the loss anchors to
     * @param schedule when iterations start
     */
    public record Settings(Path dir, Path initialPolicy, Path initialRewardModel, boolean refreshRewardModel,
            Reference reference, LoopSchedule schedule) {
        public Settings {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(initialPolicy, "initialPolicy");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(schedule, "schedule");
        }
    }

    /** Hears what the loop does; called on the loop's thread. Every method has an empty default. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void onWaiting(long pendingPairs, Duration sinceLast) {}

        default void onIterationStarted(IterationRecord record, boolean resumed) {}

        default void onStepStarted(IterationRecord record, LoopStep step) {}

        default void onStepDone(IterationRecord record, LoopStep step, Duration took) {}
    }

    /** Waits between looks at the schedule; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Settings settings;
    private final LoopSteps steps;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Listener listener;

    public AlignmentLoop(Settings settings, LoopSteps steps, Clock clock, Sleeper sleeper, Listener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs until {@code iterations} iterations are complete, counting those a previous run of this folder finished,
     * and returns the journal's iterations. An unfinished iteration is finished first.
     *
     * @throws IOException if a step fails; the journal then holds every step finished before it
     */
    public List<IterationRecord> run(int iterations) throws IOException, InterruptedException {
        Files.createDirectories(settings.dir());
        LoopJournal journal = LoopJournal.open(settings.dir());
        while (true) {
            Optional<IterationRecord> latest = journal.latest();
            IterationRecord current;
            if (latest.isPresent() && !latest.get().isComplete()) {
                current = latest.get();
                listener.onIterationStarted(current, true);
            } else {
                int done = latest.map(IterationRecord::iteration).orElse(0);
                if (done >= iterations) {
                    return journal.iterations();
                }
                awaitDue(latest.orElse(null));
                if (latest.isEmpty()) {
                    CandidateOffsets.markKeptFromTheStart(settings.dir());
                }
                current = IterationRecord.start(done + 1, clock.instant(),
                        latest.map(IterationRecord::checkpointId).orElse(null),
                        latest.map(IterationRecord::rewardModelDir).orElse(settings.initialRewardModel() == null
                                ? null : settings.initialRewardModel().toString()));
                journal.record(current);
                listener.onIterationStarted(current, false);
            }
            for (LoopStep step = current.nextStep(); step != null; step = current.nextStep()) {
                listener.onStepStarted(current, step);
                Instant begun = clock.instant();
                current = runStep(step, current, journal).done(step);
                journal.record(current);
                listener.onStepDone(current, step, Duration.between(begun, clock.instant()));
            }
        }
    }

    /** Waits until the schedule says the iteration after {@code previous} (null: the first) is due. */
    private void awaitDue(IterationRecord previous) throws IOException, InterruptedException {
        while (true) {
            long pending = steps.pendingPairs();
            Duration since = previous == null ? Duration.ZERO : Duration.between(previous.started(), clock.instant());
            if (previous == null ? pending >= settings.schedule().minPairs()
                    : settings.schedule().due(pending, since, previous.candidates())) {
                return;
            }
            listener.onWaiting(pending, since);
            sleeper.sleep(settings.schedule().pollInterval());
        }
    }

    /** The folder of a loop's iteration, where its steps write: {@code dir/iteration-NNNN}. */
    static Path iterationFolder(Path dir, int iteration) {
        return dir.resolve(String.format(Locale.ROOT, "iteration-%04d", iteration));
    }

    private IterationRecord runStep(LoopStep step, IterationRecord current, LoopJournal journal) throws IOException {
        int it = current.iteration();
        Path folder = iterationFolder(settings.dir(), it);
        Path parent = parentPolicy(current, journal);
        switch (step) {
            case CUT_SNAPSHOT: {
                String previous = it == 1 ? null : journal.iterations().get(it - 2).snapshotId();
                LoopSteps.Snapshot snapshot = steps.cutSnapshot(it, previous, emptied(folder.resolve("snapshot")));
                return current.withSnapshot(snapshot.id(), snapshot.dir().toString(), snapshot.pairs());
            }
            case REFRESH_REWARD_MODEL: {
                if (!settings.refreshRewardModel()) {
                    return current;
                }
                Path out = emptied(folder.resolve("reward-model"));
                steps.refreshRewardModel(it, snapshot(current), pathOrNull(current.rewardModelDir()), out);
                return current.withRewardModel(out.toString());
            }
            case OPTIMIZE: {
                Path out = emptied(folder.resolve("checkpoint"));
                Path reference = settings.reference() == Reference.INITIAL ? settings.initialPolicy() : parent;
                LoopSteps.Checkpoint checkpoint = steps.optimize(it, snapshot(current), parent, reference,
                        pathOrNull(current.rewardModelDir()), out);
                return current.withCheckpoint(checkpoint.id(), checkpoint.dir().toString());
            }
            case EVALUATE: {
                Path reference = settings.reference() == Reference.INITIAL ? settings.initialPolicy() : parent;
                Map<String, Double> metrics = steps.evaluate(it, snapshot(current), Path.of(current.checkpointDir()),
                        reference, pathOrNull(current.rewardModelDir()));
                return current.withMetrics(metrics);
            }
            case PUBLISH_CHECKPOINT: {
                steps.publishCheckpoint(current);
                return current;
            }
            case GENERATE_CANDIDATES: {
                long published = steps.generateCandidates(current, snapshot(current), Path.of(current.checkpointDir()),
                        pathOrNull(current.rewardModelDir()));
                return current.withCandidates(published);
            }
            default:
                throw new IllegalStateException("unknown step " + step);
        }
    }

    /** The policy an iteration starts from: the previous iteration's checkpoint, or the initial policy. */
    private Path parentPolicy(IterationRecord current, LoopJournal journal) {
        if (current.iteration() == 1) {
            return settings.initialPolicy();
        }
        return Path.of(journal.iterations().get(current.iteration() - 2).checkpointDir());
    }

    private static LoopSteps.Snapshot snapshot(IterationRecord record) {
        return new LoopSteps.Snapshot(record.snapshotId(), Path.of(record.snapshotDir()), record.newPairs());
    }

    /** The folder, without whatever an interrupted attempt left there; not created. */
    private static Path emptied(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.createDirectories(dir.getParent());
        return dir;
    }

    private static Path pathOrNull(String path) {
        return path == null ? null : Path.of(path);
    }
}
