package io.prefpipe.app;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.prefpipe.app.bench.CurateBenchCommand;
import io.prefpipe.app.bench.TorchDpoStep;
import io.prefpipe.labeling.crowd.DawidSkeneScaleBenchmark;
import io.prefpipe.optimizer.bench.DpoStepBenchmark;
import io.prefpipe.optimizer.bench.GemmProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Benchmarks that print figures; performance targets are checked here, never in timed unit tests. */
@Command(
        name = "bench",
        header = "Benchmarks that print their figures.",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print their figures.",
        subcommands = {BenchCommand.Labeling.class, BenchCommand.Train.class, CurateBenchCommand.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "labeling",
            mixinStandardHelpOptions = true,
            description = "Dawid-Skene on 1,000,000 generated judgements (100,000 items x 10, 2 classes, 5,000"
                    + " annotators): time of 20 EM iterations, single-threaded, after JIT warm-up.")
    static final class Labeling implements Callable<Integer> {
        @Override
        public Integer call() {
            DawidSkeneScaleBenchmark.Config config = DawidSkeneScaleBenchmark.Config.DEFAULT;
            System.out.printf(Locale.ROOT, "generating %,d judgements, %d warm-up fits, then %d timed fits ...%n",
                    config.items() * config.perItem(), config.warmups(), config.runs());
            DawidSkeneScaleBenchmark.Result r = DawidSkeneScaleBenchmark.run(config);
            System.out.printf(Locale.ROOT, "Dawid-Skene, %,d judgements, %d EM iterations, single thread:%n"
                            + "  median %.3f s per fit (min %.3f s), %.1f ns per judgement per iteration,"
                            + " accuracy %.4f%n", r.judgements(), r.iterations(), r.medianNanos() / 1e9,
                    r.minNanos() / 1e9, r.nanosPerJudgementIteration(), r.accuracy());
            return 0;
        }
    }

    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = "One DPO optimizer step (16 pairs; forward, backward, clipping, AdamW) of the default policy"
                    + " and of a ~10M-parameter GPT-2 configuration (128 tokens per sequence): pairs/s, tokens/s,"
                    + " matmul FLOP/s against the fp32 GEMM peak measured in the same run, and the same step in plain"
                    + " PyTorch side by side where python3 has torch, its steps taken in turn with DJL's so that both"
                    + " see the same load. Step times are wall-clock medians, with the thread's CPU time alongside; one"
                    + " GEMM after each step on each side shows how busy the host was.")
    static final class Train implements Callable<Integer> {
        private static final double TARGET_RATIO = 1.2;
        private static final double TARGET_PEAK_FRACTION = 0.5;

        @Spec
        CommandSpec spec;

        @Option(names = "--steps", defaultValue = "41", description = "Timed steps of the default model, odd (the"
                + " GPT-2 configuration runs a quarter of them, odd, at least 3). Default: ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--warmups", defaultValue = "5", description = "Untimed steps first (at most 4 for GPT-2)."
                + " Default: ${DEFAULT-VALUE}.")
        int warmups;

        @Option(names = "--gemm-size", defaultValue = "1024", description = "n of the n x n fp32 GEMM that measures the"
                + " peak. Default: ${DEFAULT-VALUE}.")
        int gemmSize;

        @Option(names = "--gemm-runs", defaultValue = "11", description = "The peak is the best of this many GEMMs."
                + " Default: ${DEFAULT-VALUE}.")
        int gemmRuns;

        @Option(names = "--python", defaultValue = "python3", description = "Python with torch for the side-by-side"
                + " step; skipped with a message if it has no torch. Default: ${DEFAULT-VALUE}.")
        Path python;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || steps % 2 == 0) {
                throw new ParameterException(spec.commandLine(),
                        "--steps must be odd and positive, so that the median is one step's time, got " + steps);
            }
            if (warmups < 0 || gemmSize < 1 || gemmRuns < 1) {
                throw new ParameterException(spec.commandLine(), "--warmups must be >= 0 and --gemm-size and"
                        + " --gemm-runs >= 1, got " + warmups + ", " + gemmSize + " and " + gemmRuns);
            }
            Engine engine = Engine.getInstance();
            // asked of the loaded engine rather than read from the launcher's setting, so a mismatch shows
            int threads = JniUtils.getNumThreads();
            System.out.printf(Locale.ROOT, "DJL %s, %s %s on %s, %d intra-op thread(s)%n", Engine.getDjlVersion(),
                    engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), threads);
            try (GemmProbe probe = new GemmProbe(gemmSize)) {
                return measure(probe, threads);
            }
        }

        private int measure(GemmProbe probe, int threads) throws IOException {
            double djlGemm = probe.flopsPerSecond(gemmRuns);
            Optional<TorchDpoStep> torch = TorchDpoStep.find(python);
            if (torch.isEmpty()) {
                System.out.println("no side-by-side PyTorch step: " + python + " cannot import torch"
                        + " (pip install torch)");
            }
            List<DpoStepBenchmark.Config> configs = DpoStepBenchmark.standardConfigs(warmups, steps);
            List<DpoStepBenchmark.Result> djl = new ArrayList<>();
            List<Double> djlGemmsBetween = new ArrayList<>();
            List<Baseline> baselines = new ArrayList<>();
            // every GEMM of the run, so that the peak is the best of them all: a busy moment can hold back the best-of-n
            double bestBetweenSteps = 0;
            for (DpoStepBenchmark.Config config : configs) {
                System.out.printf(Locale.ROOT, "running %s: %d warm-up + %d timed steps%s ...%n", config.name(),
                        config.warmups(), config.steps(), torch.isPresent() ? " each, DJL and PyTorch in turn" : "");
                List<Double> gemms = new ArrayList<>();
                List<double[]> torchSteps = new ArrayList<>();
                List<Double> torchGemms = new ArrayList<>();
                // no session without torch: the DJL steps alone, each followed by its GEMM
                try (TorchDpoStep.Session session = torch.isPresent() ? torch.get().start(config, threads) : null) {
                    djl.add(DpoStepBenchmark.run(config, () -> {
                        gemms.add(probe.flopsPerSecond(1));
                        if (session != null) {
                            torchSteps.add(step(session));
                            torchGemms.add(gemm(session, gemmSize));
                        }
                    }));
                    djlGemmsBetween.add(medianAfterWarmups(gemms, config));
                    bestBetweenSteps = Math.max(bestBetweenSteps, Collections.max(gemms));
                    if (session != null) {
                        bestBetweenSteps = Math.max(bestBetweenSteps, Collections.max(torchGemms));
                        List<double[]> timed = torchSteps.subList(config.warmups(), torchSteps.size());
                        baselines.add(new Baseline(session.version(), session.threads(), session.parameters(),
                                new DpoStepBenchmark.StepTimes(timed.stream().mapToDouble(t -> t[0]).toArray(),
                                        timed.stream().mapToDouble(t -> t[1]).toArray()),
                                session.gemmFlopsPerSecond(gemmSize, gemmRuns),
                                medianAfterWarmups(torchGemms, config)));
                    }
                }
            }

            double peak = djlGemm;
            System.out.printf(Locale.ROOT, "%nfp32 GEMM %d x %d, best of %d: DJL %.1f GFLOP/s", gemmSize, gemmSize,
                    gemmRuns, djlGemm / 1e9);
            for (Baseline baseline : baselines) {
                System.out.printf(Locale.ROOT, ", PyTorch %.1f GFLOP/s", baseline.gemmFlopsPerSecond() / 1e9);
                peak = Math.max(peak, baseline.gemmFlopsPerSecond());
            }
            System.out.printf(Locale.ROOT, "; best single GEMM between steps %.1f GFLOP/s", bestBetweenSteps / 1e9);
            peak = Math.max(peak, bestBetweenSteps);
            System.out.printf(Locale.ROOT, "; peak (the best) %.1f GFLOP/s%n", peak / 1e9);
            if (!baselines.isEmpty()) {
                Baseline first = baselines.get(0);
                System.out.printf(Locale.ROOT, "PyTorch: torch %s via %s, %d intra-op thread(s)%s%n", first.version(),
                        python, first.threads(), first.threads() == threads ? "" : " -- NOT the same as DJL's "
                                + threads + ", the comparison is unfair");
            }
            for (int i = 0; i < configs.size(); i++) {
                print(djl.get(i), djlGemmsBetween.get(i), baselines.isEmpty() ? null : baselines.get(i), peak, gemmSize);
            }
            return 0;
        }

        /**
         * What the PyTorch step measured.
         *
         * @param gemmBetweenSteps median rate of one GEMM taken after each timed step
         */
        private record Baseline(String version, int threads, long parameters, DpoStepBenchmark.StepTimes times,
                double gemmFlopsPerSecond, double gemmBetweenSteps) {}

        private static double[] step(TorchDpoStep.Session session) {
            try {
                return session.step();
            } catch (IOException e) {
                throw new UncheckedIOException("the PyTorch step failed", e);
            }
        }

        private static double gemm(TorchDpoStep.Session session, int n) {
            try {
                return session.gemmFlopsPerSecond(n, 1);
            } catch (IOException e) {
                throw new UncheckedIOException("the PyTorch GEMM failed", e);
            }
        }

        /** The median of the rates measured after the timed steps; the first ones followed warm-up steps. */
        private static double medianAfterWarmups(List<Double> rates, DpoStepBenchmark.Config config) {
            double[] timed = rates.subList(config.warmups(), rates.size()).stream().mapToDouble(Double::doubleValue)
                    .sorted().toArray();
            return timed[timed.length / 2];
        }

        private static void print(DpoStepBenchmark.Result djl, double djlGemmBetweenSteps, Baseline torch, double peak,
                int gemmSize) {
            DpoStepBenchmark.Config config = djl.config();
            System.out.printf(Locale.ROOT, "%n%s, %d pairs x %d tokens, %d timed steps%n", config.name(),
                    config.pairs(), config.tokens(), config.steps());
            System.out.printf(Locale.ROOT, "  parameters: DJL %,d%s; matmul %.2f GFLOP per step%n", djl.parameters(),
                    torch == null ? "" : String.format(Locale.ROOT, ", PyTorch %,d%s", torch.parameters(),
                            torch.parameters() == djl.parameters() ? "" : " -- the models differ"),
                    djl.matmulFlopsPerStep() / 1e9);
            System.out.printf(Locale.ROOT, "  %-8s %26s %8s %9s %10s %9s %8s%n", "", "ms/step median (min-max)",
                    "CPU ms", "pairs/s", "tokens/s", "GFLOP/s", "of peak");
            row("DJL", djl.times(), config, djl.matmulFlopsPerStep(), peak);
            if (torch != null) {
                row("PyTorch", torch.times(), config, djl.matmulFlopsPerStep(), peak);
                double ratio = djl.times().medianWall() / torch.times().medianWall();
                System.out.printf(Locale.ROOT, "  DJL / PyTorch step time: %.2fx wall, %.2fx CPU (target <= %.1fx: %s)%n",
                        ratio, djl.times().medianCpu() / torch.times().medianCpu(), TARGET_RATIO,
                        ratio <= TARGET_RATIO ? "met" : "NOT met");
            }
            double flops = djl.matmulFlopsPerStep();
            double fraction = flops / djl.times().medianWall() / peak;
            System.out.printf(Locale.ROOT, "  matmul rate, fraction of the GEMM peak: DJL %.2f (%.2f by CPU time)%s;"
                            + " %s%n", fraction, flops / djl.times().medianCpu() / peak,
                    torch == null ? "" : String.format(Locale.ROOT, ", PyTorch %.2f (%.2f by CPU time)",
                            flops / torch.times().medianWall() / peak, flops / torch.times().medianCpu() / peak),
                    config.peakTarget()
                            ? String.format(Locale.ROOT, "DJL's target >= %.1f: %s", TARGET_PEAK_FRACTION,
                                    fraction >= TARGET_PEAK_FRACTION ? "met" : "NOT met")
                            : String.format(Locale.ROOT, "no target: matmuls of width %d are too small to come near"
                                    + " the peak (the >= %.1f target is judged on the GPT-2 configuration)",
                                    config.policy().width(), TARGET_PEAK_FRACTION));
            // A busy host slows the steps and these GEMMs alike, while the peak, a best of many, finds a quiet moment:
            // against the GEMMs' median the fraction shows what the step makes of the machine it actually got.
            System.out.printf(Locale.ROOT, "  one GEMM %d x %d after each timed step, median: DJL %.1f GFLOP/s%s%n"
                            + "  matmul rate against that median: DJL %.2f%s (how busy the host was; the target is"
                            + " against the peak)%n", gemmSize, gemmSize, djlGemmBetweenSteps / 1e9,
                    torch == null ? "" : String.format(Locale.ROOT, ", PyTorch %.1f GFLOP/s",
                            torch.gemmBetweenSteps() / 1e9),
                    flops / djl.times().medianWall() / djlGemmBetweenSteps,
                    torch == null ? "" : String.format(Locale.ROOT, ", PyTorch %.2f",
                            flops / torch.times().medianWall() / torch.gemmBetweenSteps()));
        }

        private static void row(String engine, DpoStepBenchmark.StepTimes times, DpoStepBenchmark.Config config,
                double flopsPerStep, double peak) {
            double median = times.medianWall();
            System.out.printf(Locale.ROOT, "  %-8s %26s %8.1f %9.1f %10.0f %9.1f %8.2f%n", engine,
                    String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median * 1e3, times.minWall() * 1e3,
                            times.maxWall() * 1e3), times.medianCpu() * 1e3, config.pairs() / median,
                    2.0 * config.pairs() * config.tokens() / median, flopsPerStep / median / 1e9,
                    flopsPerStep / median / peak);
        }
    }
}
