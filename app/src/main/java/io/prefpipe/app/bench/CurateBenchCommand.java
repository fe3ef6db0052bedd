package io.prefpipe.app.bench;

import io.prefpipe.flink.curate.Aggregators;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prefpipe bench curate}: the curation job's throughput against the raw consumer; see {@link
 * CurationBenchmark}. */
@Command(
        name = "curate",
        mixinStandardHelpOptions = true,
        description = "Generates judgements of realistic size (prompts ~200 bytes, responses ~500, 3-5 judgements per"
                + " comparison) into a topic, then measures in one run a bare KafkaConsumer that reads and decodes"
                + " them and the curation job from the same topic to committed Parquet: records/s of both, their"
                + " ratio, peak memory, and p50/p99 latency from event to committed file at a fixed rate. Beside them"
                + " it runs a Flink job that only reads the topic and the least job that writes the curation job's"
                + " outputs (the partition-local ceiling): what the framework costs, and what no Flink job with those"
                + " outputs beats here.")
public final class CurateBenchCommand implements Callable<Integer> {
    private static final double TARGET_RATE = 100_000;
    private static final double TARGET_RATIO = 0.5;

    @Spec
    CommandSpec spec;

    @Option(names = "--judgements", defaultValue = "1000000", description = "Judgements to generate (default:"
            + " ${DEFAULT-VALUE}).")
    long judgements;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the topic (default:"
            + " ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "1", description = "Parallelism of the curation job; 1 still"
            + " runs source, dedupe, curation and the estimator in four threads, and took about a tenth less CPU per"
            + " judgement than 2 on this 2-core machine (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--latency-rate", defaultValue = "5000", description = "Judgements per second while latency is"
            + " measured (default: ${DEFAULT-VALUE}).")
    int latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "How long latency is measured; 0 leaves"
            + " the latency phase out (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--checkpoint-interval-ms", defaultValue = "1000", description = "Checkpoint interval of the"
            + " latency phase's job, which commits files at checkpoints; the throughput phase keeps the job's default"
            + " (default: ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--warmup-judgements", defaultValue = "200000", description = "Judgements of a separate topic"
            + " that the raw consumer, the read floor, a curation job and the ceiling go through, unmeasured, before"
            + " the measured phases, so that the JIT compiler has compiled the hot code; 0 measures a cold JVM"
            + " (default: ${DEFAULT-VALUE}).")
    long warmupJudgements;

    @Option(names = "--aggregator", defaultValue = "mv", description = "Label aggregator of the curation jobs, as"
            + " curate --aggregator; with any but mv its annotator model decides the comparisons (default:"
            + " ${DEFAULT-VALUE}).")
    String aggregator;

    @Option(names = "--bootstrap", description = "A Kafka broker to use instead of an embedded one.")
    String bootstrap;

    @Option(names = {"-D", "--flink-setting"}, paramLabel = "KEY=VALUE", description = "A Flink setting of the"
            + " curation jobs, as curate -D takes it, e.g. -D state.backend.type=rocksdb"
            + " -D execution.checkpointing.incremental=true; repeatable.")
    Map<String, String> flinkSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Aggregators.names().contains(aggregator)) {
            throw new ParameterException(spec.commandLine(), "--aggregator: '" + aggregator + "' is unknown; known: "
                    + Aggregators.names());
        }
        Path work = Files.createTempDirectory("prefpipe-bench-curate-");
        try (EmbeddedKafkaBroker broker = bootstrap == null
                ? EmbeddedKafkaBroker.builder().setBaseDirectory(work.resolve("broker")).build().start()
                : null) {
            String servers = broker == null ? bootstrap : broker.bootstrapServers();
            System.out.printf(Locale.ROOT, "broker %s%s, %,d judgements, %d partitions, job parallelism %d,"
                    + " aggregator %s%s, %d cores, %s%n", servers, broker == null ? "" : " (embedded)", judgements,
                    partitions, parallelism, aggregator, flinkSettings.isEmpty() ? "" : ", Flink settings "
                            + flinkSettings,
                    Runtime.getRuntime().availableProcessors(), warmupJudgements == 0 ? "cold JVM (no warm-up)"
                            : String.format(Locale.ROOT, "JVM warmed up on %,d other judgements", warmupJudgements));
            CurationBenchmark.Result r = new CurationBenchmark(new CurationBenchmark.Options(servers,
                    work.resolve("snapshots"), BenchFeedback.Config.standard(judgements), partitions, parallelism,
                    latencyRate, Duration.ofSeconds(latencySeconds), Duration.ofMillis(checkpointMillis),
                    warmupJudgements, aggregator, flinkSettings),
                    System.out).run();
            print(r);
            return 0;
        } finally {
            FlinkFiles.deleteRecursively(new org.apache.flink.core.fs.Path(work.toUri()));
        }
    }

    private static void print(CurationBenchmark.Result r) {
        System.out.println();
        System.out.println("curation throughput vs the raw consumer");
        System.out.printf(Locale.ROOT, "  %-16s %12s %10s %14s %12s%n", "", "records", "seconds", "records/s",
                "peak RSS MB");
        for (CurationBenchmark.Phase p : phases(r)) {
            System.out.printf(Locale.ROOT, "  %-16s %,12d %10.2f %,14.0f %12.0f   (heap peak %.0f MB)%n", p.name(),
                    p.records(), p.elapsed().toNanos() / 1e9, p.recordsPerSecond(), p.peakRssBytes() / 1e6,
                    p.peakHeapBytes() / 1e6);
        }
        var c = r.report().counts();
        System.out.printf(Locale.ROOT, "  curation: %,d in = %,d curated + %,d filtered + %,d dead-lettered (%s),"
                        + " %,d pairs; filtered by reason %s%n", c.eventsIn(), c.curatedEvents(), c.filteredTotal(),
                c.deadLetteredTotal(), c.reconciles() ? "reconciled" : "DOES NOT RECONCILE", c.pairs(), c.filtered());
        double rate = r.curation().recordsPerSecond();
        System.out.printf(Locale.ROOT, "  curation / raw consumer: %.2f (target >= %.1f: %s); curation %,.0f"
                        + " judgements/s (target >= %,.0f: %s)%n", r.ratio(), TARGET_RATIO,
                r.ratio() >= TARGET_RATIO ? "met" : "NOT met", rate, TARGET_RATE, rate >= TARGET_RATE ? "met"
                        : "NOT met");
        // What the framework costs before any curation: the rest of the job's CPU is the curation graph's own.
        System.out.printf(Locale.ROOT, "  Flink read floor / raw consumer: %.2f; over the floor the curation graph"
                        + " takes %.1f CPU-µs per judgement (%.1f against %.1f)%n",
                r.flinkReadFloor().recordsPerSecond() / r.rawConsumer().recordsPerSecond(),
                r.curation().cpuMicrosPerRecord() - r.flinkReadFloor().cpuMicrosPerRecord(),
                r.curation().cpuMicrosPerRecord(), r.flinkReadFloor().cpuMicrosPerRecord());
        // The least job that writes the same outputs: what no Flink job with those outputs beats on this machine.
        PartitionLocalCeiling.Counts cc = r.ceilingCounts();
        System.out.printf(Locale.ROOT, "  partition-local ceiling / raw consumer: %.2f; the curation job reaches %.2f"
                        + " of it (ceiling: %,d in, %,d pairs against the job's %,d, %,d late, %,d invalid, %,d"
                        + " duplicates; no model, no state in checkpoints, no event time)%n",
                r.ceiling().recordsPerSecond() / r.rawConsumer().recordsPerSecond(),
                r.curation().recordsPerSecond() / r.ceiling().recordsPerSecond(), cc.in(), cc.pairs(), c.pairs(),
                cc.late(), cc.invalid(), cc.duplicates());
        CurationBenchmark.Latency l = r.latency();
        if (l == null) {
            System.out.println("  latency not measured (--latency-seconds 0)");
        } else {
            System.out.printf(Locale.ROOT, "  event -> committed file at %,.0f judgements/s: p50 %d ms, p99 %d ms, max"
                    + " %d ms over %,d pairs%n", l.rate(), l.p50().toMillis(), l.p99().toMillis(), l.max().toMillis(),
                    l.pairs());
        }
        printCpu(r);
    }

    private static void printCpu(CurationBenchmark.Result r) {
        System.out.println();
        System.out.println("CPU time by thread group (process CPU, all cores; the embedded broker runs in it)");
        List<CurationBenchmark.Phase> phases = phases(r);
        System.out.printf(Locale.ROOT, "  %-34s", "");
        phases.forEach(p -> System.out.printf(Locale.ROOT, " %16s", p.name()));
        System.out.println();
        Map<String, Long> job = r.curation().cpu().byGroup();
        Set<String> groups = new LinkedHashSet<>(job.keySet());
        phases.forEach(p -> groups.addAll(p.cpu().byGroup().keySet()));
        for (String g : groups) {
            System.out.printf(Locale.ROOT, "  %-34s", g);
            phases.forEach(p -> System.out.printf(Locale.ROOT, " %14.2f s", p.cpu().byGroup().getOrDefault(g, 0L)
                    / 1e9));
            System.out.printf(Locale.ROOT, "  %5.1f%%%n", 100.0 * job.getOrDefault(g, 0L)
                    / r.curation().cpu().total().toNanos());
        }
        System.out.printf(Locale.ROOT, "  %-34s", "total");
        phases.forEach(p -> System.out.printf(Locale.ROOT, " %14.2f s", p.cpu().total().toNanos() / 1e9));
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-34s", "CPU-µs per judgement");
        phases.forEach(p -> System.out.printf(Locale.ROOT, " %14.1f  ", p.cpuMicrosPerRecord()));
        System.out.println();
        // A job that runs for months compiles its hot code once; this bounds what it does once that is done.
        double withoutJit = (r.curation().cpu().total().toNanos() - job.getOrDefault(CpuTimes.JIT, 0L)) / 1e3
                / r.curation().records();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "  without the JIT compilers' time the job took %.1f CPU-µs per judgement: at"
                + " most %,.0f judgements/s on %d cores, a bound, not a measurement%n", withoutJit,
                cores * 1e6 / withoutJit, cores);
        StringBuilder others = new StringBuilder();
        r.curation().cpu().topOthers().forEach((name, nanos) -> others.append(String.format(Locale.ROOT,
                "%s%s %.2f s", others.length() == 0 ? "" : ", ", name, nanos / 1e9)));
        System.out.println("  busiest other threads (curation job): " + others);
    }

    private static List<CurationBenchmark.Phase> phases(CurationBenchmark.Result r) {
        return List.of(r.rawConsumer(), r.flinkReadFloor(), r.curation(), r.ceiling());
    }
}
