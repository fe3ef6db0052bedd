package io.prefpipe.app;

import io.prefpipe.app.loop.IterationRecord;
import io.prefpipe.app.loop.LoopConfig;
import io.prefpipe.app.loop.LoopRefusedException;
import io.prefpipe.app.loop.LoopRunner;
import io.prefpipe.app.loop.SimulatedWorld;
import io.prefpipe.app.loop.SyntheticSimulation;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The long-running alignment loop. */
@Command(
        name = "run",
        header = "Runs the continuous alignment loop of a YAML config.",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the continuous alignment loop of a YAML config (see prefpipe.yaml): on its schedule (every N new",
            "curated pairs or every T, whichever comes first), each iteration cuts a snapshot of what the curation job",
            "curated since the previous one, refreshes the reward model (optional), optimizes the policy from the",
            "previous checkpoint with the configured loss, evaluates it, publishes a CheckpointEvent with its lineage",
            "on the checkpoints topic, and publishes new candidate comparisons for annotation (sampled from the new",
            "policy, scored by the reward model, kept by rejection sampling). Every step is journaled in the loop's",
            "folder: after a crash, the same command resumes from the last completed step. Only one process runs a",
            "loop folder at a time, and a later run refuses settings its results depend on that differ from the",
            "folder's earlier runs (see --accept-config-change). Exit code 3 when it refuses to start or go on."
        })
final class RunCommand implements Callable<Integer> {
    /** The exit code when the loop refuses to start or go on ({@link LoopRefusedException}). */
    static final int REFUSED = 3;

    @Option(names = "--config", required = true, description = "The loop's YAML config.")
    Path config;

    @Option(names = "--iterations", description = "Stop once this many iterations are complete, counting earlier runs"
            + " of the same loop folder (default: run until stopped).")
    Integer iterations;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers, instead of the config's kafka.bootstrap.")
    String bootstrap;

    @Option(names = "--accept-config-change", description = "Go on although settings the loop's results depend on"
            + " changed since the loop folder's earlier runs; the change is recorded in loop-config.json (from which"
            + " iteration, old and new values) and in the lineage of the checkpoints made after it.")
    boolean acceptConfigChange;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (iterations != null && iterations < 1) {
            throw new ParameterException(spec.commandLine(), "--iterations must be >= 1, got " + iterations);
        }
        LoopConfig loop;
        try {
            loop = LoopConfig.load(config, bootstrap == null ? Map.of() : Map.of("kafka.bootstrap", bootstrap));
        } catch (IOException | IllegalArgumentException e) {
            // a config the loop cannot use is bad input: its message names the file and the field
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, config.toString());
        }
        SimulatedWorld world = loop.synthetic() == null ? null
                : new SyntheticSimulation(new SyntheticWorld(), loop.synthetic(), loop.seed());
        try (LoopRunner runner = LoopRunner.start(loop, world, System.out, CurationProgressListener.NONE,
                TrainingListener.NONE, acceptConfigChange)) {
            List<IterationRecord> done = runner.run(iterations == null ? Integer.MAX_VALUE : iterations);
            System.out.printf("%d iteration(s) complete in %s%n", done.size(), loop.dir());
        } catch (LoopRefusedException e) {
            // not a failure of the program: the message says what is in the way and what to do
            spec.commandLine().getErr().println("prefpipe run: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return REFUSED;
        }
        return 0;
    }
}
