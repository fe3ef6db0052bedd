package io.prefpipe.app.loop;

import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.optimizer.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code prefpipe run} and {@code prefpipe demo --iterations} run: the topics, the curation job (started or
 * attached), the simulated annotators when there is a simulated world, and the {@link AlignmentLoop} over
 * {@link AlignmentSteps}, with progress on the console: each step as it starts and ends, training progress, and a report
 * after each iteration. Closing it stops the annotators and the curation job (whose checkpoints are kept, so the next
 * run resumes it).
 *
 * <p>It holds the loop folder's {@link LoopLock} from start to close, and starts only if the config's settings that
 * count agree with what earlier runs of the folder recorded ({@link LoopConfigRecord}).
 */
public final class LoopRunner implements AutoCloseable {
    private static final Duration WAITING_REPORT = Duration.ofSeconds(30);

    private final LoopConfig config;
    private final PrintStream console;
    private final LoopLock lock;
    private final LiveCuration curation;
    private final SimulatedWorld.Annotators annotators;
    private final AlignmentSteps steps;

    private LoopRunner(LoopConfig config, PrintStream console, LoopLock lock, LiveCuration curation,
            SimulatedWorld.Annotators annotators, AlignmentSteps steps) {
        this.config = config;
        this.console = console;
        this.lock = lock;
        this.curation = curation;
        this.annotators = annotators;
        this.steps = steps;
    }

    /**
     * Locks the loop folder, checks the config against the folder's record of it, creates the missing topics, starts
     * (or resumes) the curation job or attaches to it, and starts the simulated annotators if {@code world} is given.
     *
     * @param world the simulated world, or null for real feedback
     * @param monitor hears the curation job's progress (e.g. the dashboard's), when the loop runs it
     * @param trainingListener hears every optimizer step (tests use it to crash mid-training)
     * @param acceptConfigChange whether to go on when a setting that counts changed since the folder's last run
     *     (the change is recorded); else such a change is refused
     * @throws LoopRefusedException if another process runs this loop, a setting that counts changed (and is not
     *     accepted), or another loop cuts from the curation job
     */
    public static LoopRunner start(LoopConfig config, SimulatedWorld world, PrintStream console,
            CurationProgressListener monitor, TrainingListener trainingListener, boolean acceptConfigChange)
            throws IOException {
        if (config.synthetic() != null && world == null) {
            throw new IllegalArgumentException("the config has a synthetic section, but no simulated world was given");
        }
        LoopLock lock = LoopLock.acquire(config.dir());
        LiveCuration curation = null;
        SimulatedWorld.Annotators annotators = null;
        try {
            LoopConfigRecord record = LoopConfigRecord.reconcile(config.dir(), config, acceptConfigChange,
                    Clock.systemUTC(), console);
            Topics.ensure(config.kafka().bootstrap(), config.kafka().topics(), 1, (short) 1);
            curation = config.curation().run() ? LiveCuration.start(config, monitor, console)
                    : LiveCuration.attach(config);
            annotators = world == null ? null : world.startAnnotators(config);
            AlignmentSteps steps = AlignmentSteps.builder(config, curation).setWorld(world).setConsole(console)
                    .setTrainingListener(trainingListener).setConfigRecord(record).build();
            console.printf("loop %s in %s: curation job folder %s; candidates on %s; checkpoints on %s%n",
                    config.name(), config.dir(), config.curation().jobDir(), config.kafka().candidates(),
                    config.kafka().checkpoints());
            return new LoopRunner(config, console, lock, curation, annotators, steps);
        } catch (IOException | RuntimeException e) {
            try {
                if (annotators != null) {
                    annotators.close();
                }
                if (curation != null) {
                    curation.close();
                }
            } finally {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * Waits until the curation job has read every message on the feedback topics as of now and decided what it can
     * ({@link LiveCuration#awaitCurated}): what the demo waits for before its first iteration, so that it trains on
     * the whole backlog.
     *
     * @throws IOException if that does not happen within {@code timeout}
     */
    public void awaitCurated(Duration timeout) throws IOException, InterruptedException {
        curation.awaitCurated(config.kafka().bootstrap(), List.of(config.kafka().feedback(),
                config.kafka().feedbackJson()), config.curation().aggregator(), timeout);
    }

    /**
     * Runs the loop until {@code iterations} iterations are complete (those of earlier runs of the same folder
     * included), and returns them.
     */
    public List<IterationRecord> run(int iterations) throws IOException, InterruptedException {
        AlignmentLoop loop = new AlignmentLoop(new AlignmentLoop.Settings(config.dir(), config.initialPolicy(),
                config.rewardModel().initial(), config.rewardModel().refresh(), config.reference(),
                config.schedule()), steps, Clock.systemUTC(), this::sleep, new ConsoleReport());
        return loop.run(iterations);
    }

    private void sleep(Duration d) throws InterruptedException {
        if (annotators != null) {
            annotators.check();
        }
        Thread.sleep(d.toMillis());
    }

    /** Stops the annotators and the curation job, then releases the loop folder (not before the job is stopped). */
    @Override
    public void close() {
        try {
            try {
                if (annotators != null) {
                    annotators.close();
                }
            } finally {
                curation.close();
            }
        } finally {
            lock.close();
        }
    }

    /** Prints each step as it starts and ends, the wait between iterations, and a report after each iteration. */
    private final class ConsoleReport implements AlignmentLoop.Listener {
        private final Map<LoopStep, Duration> took = new LinkedHashMap<>();
        private Instant lastWaitingReport = Instant.EPOCH;
        private long lastPending = -1;

        @Override
        public void onWaiting(long pendingPairs, Duration sinceLast) {
            Instant now = Instant.now();
            if (pendingPairs != lastPending || Duration.between(lastWaitingReport, now).compareTo(WAITING_REPORT) >= 0) {
                LoopSchedule s = config.schedule();
                console.printf(Locale.ROOT, "waiting: %d new curated pairs (next iteration at %d, or at least %d after"
                        + " %ds%s)%s%n", pendingPairs, s.everyPairs(), s.minPairs(), s.every().toSeconds(),
                        s.candidateShare() > 0 ? String.format(Locale.ROOT, ", or %.0f%% of the candidates back",
                                100 * s.candidateShare()) : "",
                        annotators == null ? "" : "; the simulated annotators sent " + annotators.judgements()
                                + " judgements so far");
                lastWaitingReport = now;
                lastPending = pendingPairs;
            }
        }

        @Override
        public void onIterationStarted(IterationRecord record, boolean resumed) {
            took.clear();
            console.printf("%n== iteration %d %s ==%n", record.iteration(), resumed
                    ? "(resumed after " + (record.completed().isEmpty() ? "its start"
                            : record.completed().get(record.completed().size() - 1).name().toLowerCase(Locale.ROOT))
                            + ")" : "");
        }

        @Override
        public void onStepStarted(IterationRecord record, LoopStep step) {
            console.printf("[iteration %d] %s%n", record.iteration(), step.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' '));
        }

        @Override
        public void onStepDone(IterationRecord record, LoopStep step, Duration duration) {
            took.put(step, duration);
            console.printf(Locale.ROOT, "  done in %.1f s%n", duration.toMillis() / 1000.0);
            if (record.isComplete()) {
                report(record);
            }
        }

        private void report(IterationRecord r) {
            List<String> times = new ArrayList<>();
            took.forEach((step, t) -> times.add(String.format(Locale.ROOT, "%s %.1f s",
                    step.name().toLowerCase(Locale.ROOT).replace('_', '-'), t.toMillis() / 1000.0)));
            console.printf("-- iteration %d report --%n", r.iteration());
            console.printf("  snapshot     %s: %d pairs (%s)%n", r.snapshotId(), r.newPairs(), r.snapshotDir());
            console.printf("  checkpoint   %s (parent %s)%n", r.checkpointId(),
                    r.parentCheckpointId() == null ? "the initial policy " + config.initialPolicy()
                            : r.parentCheckpointId());
            console.printf("  reward model %s%n", r.rewardModelDir() == null ? "none" : r.rewardModelDir());
            console.printf("  metrics      %s%n", AlignmentSteps.format(r.metrics()));
            console.printf("  candidates   %d comparisons published for annotation%n", r.candidates());
            console.printf("  time         %s%n", String.join(", ", times));
        }
    }
}
