package io.prefpipe.app;

import io.prefpipe.labeling.crowd.DawidSkeneScaleBenchmark;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Benchmarks that print figures; performance targets are checked here, never in timed unit tests. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print their figures.",
        subcommands = {BenchCommand.Labeling.class})
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
}
