package io.prefpipe.app;

import io.prefpipe.app.demo.DemoOptions;
import io.prefpipe.app.demo.DemoReport;
import io.prefpipe.app.demo.DemoRunner;
import io.prefpipe.app.demo.LoopDemo;
import io.prefpipe.app.loop.IterationRecord;
import io.prefpipe.app.loop.SyntheticSimulation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The main job on embedded defaults. */
@Command(
        name = "demo",
        header = "Runs the whole pipeline on embedded defaults.",
        mixinStandardHelpOptions = true,
        defaultValueProvider = DemoCommand.Defaults.class,
        description = {
            "Runs the whole pipeline on embedded defaults: starts a Kafka broker, streams synthetic feedback from",
            "simulated annotators, curates it with Flink into a Parquet snapshot, warms up a tiny policy and trains it",
            "with DPO, and scores everything against the synthetic world's hidden true reward.",
            "With --iterations N it runs the alignment loop of `prefpipe run` instead, on embedded defaults: N",
            "iterations of cut, reward model, DPO from the previous checkpoint, evaluation, checkpoint event and",
            "new candidates that simulated annotators judge and send back through curation."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--bootstrap", description = "Use this Kafka cluster instead of starting an embedded broker.")
    String bootstrap;

    @Option(names = "--comparisons", description = "Synthetic comparisons (default: ${DEFAULT-VALUE}).")
    int comparisons;

    @Option(names = "--judgements", description = "Synthetic judgements (default: ${DEFAULT-VALUE}).")
    int judgements;

    @Option(names = "--annotators", description = "Simulated annotators (default: ${DEFAULT-VALUE}).")
    int annotators;

    @Option(names = "--json-share", description = "Share of the events sent as JSON to the JSON feedback topic by a plain"
            + " Kafka client, the rest as Avro (default: ${DEFAULT-VALUE}).")
    double jsonShare;

    @Option(names = "--aggregator", description = "Label aggregator of the curation job (default: ${DEFAULT-VALUE}).")
    String aggregator;

    @Option(names = "--emit-after-votes", description = "Decide a comparison after this many votes, else when its window closes (default: ${DEFAULT-VALUE}).")
    int emitAfterVotes;

    @Option(names = "--sft-steps", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int sftSteps;

    @Option(names = "--dpo-steps", description = "DPO steps (default: ${DEFAULT-VALUE}).")
    int dpoSteps;

    @Option(names = "--batch-size", description = "Pairs per DPO step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--beta", description = "DPO beta (default: ${DEFAULT-VALUE}; see the README).")
    double beta;

    @Option(names = "--sft-learning-rate", description = "AdamW learning rate of the warm-up (default: ${DEFAULT-VALUE}).")
    double sftLearningRate;

    @Option(names = "--dpo-learning-rate", description = "AdamW learning rate of DPO (default: ${DEFAULT-VALUE}).")
    double dpoLearningRate;

    @Option(names = "--eval-temperature", description = "Sampling temperature when scoring the policies (default: ${DEFAULT-VALUE}).")
    double evalTemperature;

    @Option(names = "--dashboard-port", description = "Port of the data-quality dashboard on 127.0.0.1 while the demo runs; 0 for a free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
    boolean noDashboard;

    @Option(names = "--iterations", description = "Run the alignment loop for this many iterations (online: each"
            + " trains on what the annotators judged of the previous one's candidates) instead of one pass.")
    Integer iterations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoOptions options = DemoOptions.builder()
                .setSeed(seed).setOut(out).setBootstrap(bootstrap)
                .setComparisons(comparisons).setJudgements(judgements).setAnnotators(annotators)
                .setJsonShare(jsonShare).setAggregator(aggregator).setEmitAfterVotes(emitAfterVotes)
                .setSftSteps(sftSteps).setDpoSteps(dpoSteps).setBatchSize(batchSize)
                .setBeta(beta).setSftLearningRate(sftLearningRate).setDpoLearningRate(dpoLearningRate)
                .setEvalTemperature(evalTemperature)
                .setDashboardPort(noDashboard ? null : dashboardPort)
                .build();
        if (iterations != null) {
            if (iterations < 1) {
                throw new ParameterException(spec.commandLine(), "--iterations must be >= 1, got " + iterations);
            }
            LoopDemo.Report report = new LoopDemo(options, iterations, loopOverrides(), System.out).run();
            printLoopSummary(report, System.out);
            return 0;
        }
        DemoReport report = new DemoRunner(options, System.out).run();
        printSummary(report, System.out);
        return report.reconciles() ? 0 : 1;
    }

    /**
     * The options given on the command line that change the loop's embedded defaults; the others keep the loop's own
     * values (e.g. its emit-after-votes, which the one-pass demo sets far higher).
     */
    private Map<String, Object> loopOverrides() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        ParseResult given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--aggregator")) {
            overrides.put("curation.aggregator", aggregator);
        }
        if (given.hasMatchedOption("--emit-after-votes")) {
            overrides.put("curation.emit-after-votes", emitAfterVotes);
        }
        if (given.hasMatchedOption("--beta")) {
            overrides.put("optimize.beta", beta);
        }
        if (given.hasMatchedOption("--dpo-learning-rate")) {
            overrides.put("optimize.learning-rate", dpoLearningRate);
        }
        if (given.hasMatchedOption("--dpo-steps")) {
            overrides.put("optimize.steps", dpoSteps);
            overrides.put("optimize.epochs", null);
        }
        if (given.hasMatchedOption("--eval-temperature")) {
            overrides.put("synthetic.eval-temperature", evalTemperature);
        }
        return overrides;
    }

    static void printLoopSummary(LoopDemo.Report r, PrintStream out) {
        out.println();
        out.printf("prefpipe demo summary: %d iteration(s) of the alignment loop%n", r.iterations().size());
        out.println("---------------------------------------------------------");
        out.printf("backlog produced          %d events %s (%d valid judgements)%n",
                r.produced().values().stream().mapToLong(Long::longValue).sum(), r.produced(), r.backlogJudgements());
        out.printf("warm-up NLL/token         %.4f%n", r.warmUpLoss());
        out.printf("%-9s %-7s %-10s %-13s %-12s %-9s %-12s %-14s %-10s%n", "iteration", "pairs", "label acc",
                "loss", "held-out acc", "KL", "true reward", "win rate vs", "candidates");
        out.printf("%-9s %-7s %-10s %-13s %-12s %-9s %-12s %-14s %-10s%n", "", "", "(r*)", "", "(implicit)",
                "to ref", "mean (r*)", "initial (r*)", "");
        for (IterationRecord it : r.iterations()) {
            Map<String, Double> m = it.metrics();
            out.printf("%-9d %-7d %-10s %-13s %-12s %-9s %-12s %-14s %-10d%n", it.iteration(), it.newPairs(),
                    metric(m, SyntheticSimulation.LABEL_ACCURACY), metric(m, "loss"),
                    metric(m, "held_out_reward_accuracy"), metric(m, "kl_to_reference"),
                    metric(m, SyntheticSimulation.MEAN), metric(m, SyntheticSimulation.WIN_RATE), it.candidates());
        }
        if (!r.iterations().isEmpty()) {
            IterationRecord first = r.iterations().get(0);
            out.printf("true reward of the initial policy %s on the same held-out prompts%n",
                    metric(first.metrics(), SyntheticSimulation.MEAN_INITIAL));
            out.printf("last checkpoint           %s%n", r.iterations().get(r.iterations().size() - 1).checkpointDir());
        }
        out.printf("loop folder               %s (journal, snapshots, reward models, checkpoints)%n", r.loopDir());
        StringBuilder stages = new StringBuilder();
        r.stageTimes().forEach((stage, t) -> stages.append(String.format("%s %.1f s, ", stage, t.toMillis() / 1000.0)));
        out.printf("total time                %.1f s  (%s)%n", r.total().toMillis() / 1000.0,
                stages.substring(0, Math.max(0, stages.length() - 2)));
    }

    private static String metric(Map<String, Double> metrics, String name) {
        Double v = metrics.get(name);
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /** Takes every default from {@link DemoOptions}, so there is one place that defines them. */
    static final class Defaults implements IDefaultValueProvider {
        private static final DemoOptions DEFAULTS = DemoOptions.builder().build();

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            Object value = switch (option.longestName()) {
                case "--seed" -> DEFAULTS.seed();
                case "--out" -> DEFAULTS.out();
                case "--comparisons" -> DEFAULTS.comparisons();
                case "--judgements" -> DEFAULTS.judgements();
                case "--annotators" -> DEFAULTS.annotators();
                case "--json-share" -> DEFAULTS.jsonShare();
                case "--aggregator" -> DEFAULTS.aggregator();
                case "--emit-after-votes" -> DEFAULTS.emitAfterVotes();
                case "--sft-steps" -> DEFAULTS.sftSteps();
                case "--dpo-steps" -> DEFAULTS.dpoSteps();
                case "--batch-size" -> DEFAULTS.batchSize();
                case "--beta" -> DEFAULTS.beta();
                case "--sft-learning-rate" -> DEFAULTS.sftLearningRate();
                case "--dpo-learning-rate" -> DEFAULTS.dpoLearningRate();
                case "--eval-temperature" -> DEFAULTS.evalTemperature();
                case "--dashboard-port" -> DEFAULTS.dashboardPort();
                default -> null;
            };
            return value == null ? null : value.toString();
        }
    }

    static void printSummary(DemoReport r, PrintStream out) {
        var c = r.counts();
        out.println();
        out.println("prefpipe demo summary");
        out.println("---------------------");
        out.printf("events produced           %d  %s%n", r.eventsProduced(), r.producedByTopic());
        out.printf("events in (curation)      %d = curated %d + filtered %d + dead-lettered %d  [%s]%n", c.eventsIn(),
                c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal(), r.reconciles() ? "reconciled" : "MISMATCH");
        out.printf("  events in by topic      %s%n", r.eventsInByTopic());
        out.printf("  filtered by reason      %s%n", c.filtered());
        out.printf("  dead-lettered by reason %s%n", c.deadLettered());
        out.printf("curated pairs             %d  (snapshot %s)%n", c.pairs(), r.snapshotDir());
        out.printf("label accuracy            %s %.4f on %d pairs (stream) | majority vote %.4f on %d pairs (batch)%n",
                r.aggregator(), r.labelAccuracy(), c.pairs(), r.majorityVoteAccuracy(), r.majorityVotePairs());
        out.printf("label noise               estimated flip rate %.4f (%s) | true rate of wrong judgements %.4f%n",
                r.estimatedFlipRate(), r.aggregator(), r.trueFlipRate());
        out.printf("warm-up NLL/token         %.4f%n", r.sftFinalLoss());
        out.printf("DPO loss                  %.4f -> %.4f  (%.1f steps/s)%n", r.dpoLossStart(), r.dpoLossEnd(),
                r.dpoStepsPerSecond());
        out.printf("mean true reward          reference %.3f -> DPO policy %.3f  (%d held-out samples each)%n",
                r.referenceMeanReward(), r.policyMeanReward(), r.evalSamples());
        out.printf("true-reward win rate      vs reference: before %.3f -> after %.3f%n", r.winRateBefore(),
                r.winRateAfter());
        out.printf("checkpoint                %s%n", r.checkpointDir());
        StringBuilder stages = new StringBuilder();
        r.stageTimes().forEach((stage, t) -> stages.append(String.format("%s %.1f s, ", stage, t.toMillis() / 1000.0)));
        out.printf("total time                %.1f s  (%s)%n", r.total().toMillis() / 1000.0,
                stages.substring(0, Math.max(0, stages.length() - 2)));
    }
}
