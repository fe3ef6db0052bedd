package io.prefpipe.app;

import io.prefpipe.app.demo.DemoOptions;
import io.prefpipe.app.demo.DemoReport;
import io.prefpipe.app.demo.DemoRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The main job on embedded defaults. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        defaultValueProvider = DemoCommand.Defaults.class,
        description = {
            "Runs the whole pipeline on embedded defaults: starts a Kafka broker, streams synthetic feedback from",
            "simulated annotators, curates it with Flink into a Parquet snapshot, warms up a tiny policy and trains it",
            "with DPO, and scores everything against the synthetic world's hidden true reward."
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
        DemoReport report = new DemoRunner(options, System.out).run();
        printSummary(report, System.out);
        return report.reconciles() ? 0 : 1;
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
