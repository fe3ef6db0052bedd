package io.prefpipe.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * CPU time of this process during one phase of a benchmark, in total and by what its threads do. CPU time, unlike
 * wall-clock time, hardly changes when other work shares the machine, so it compares runs taken under different load.
 *
 * <p>The total is the process's CPU time ({@code com.sun.management.OperatingSystemMXBean}), exact. The breakdown
 * samples every Java thread's CPU time every {@link #SAMPLE_EVERY}, because Flink's task threads end with their job
 * and take their counters with them; a thread that ends loses at most its last interval. The JVM's own threads (JIT
 * compilers, garbage collectors) are not Java threads; on Linux they are read from {@code /proc/self/task}. What no
 * sample saw is the difference to the total, shown as {@link #UNSAMPLED}.
 */
final class CpuTimes {
    static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    static final String UNSAMPLED = "unsampled (threads that ended, VM)";

    /**
     * Groups of threads by name, first match wins; the names are those Flink gives the curation job's tasks and the
     * {@link PartitionLocalCeiling}'s.
     */
    private static final List<Map.Entry<String, Pattern>> GROUPS = List.of(
            Map.entry("source: decode, validate", Pattern.compile("^Source: feedback source")),
            Map.entry("source: Kafka fetcher", Pattern.compile("^Source Data Fetcher")),
            Map.entry("dedupe, votes", Pattern.compile("^dedupe by event id")),
            Map.entry("curate, Parquet + pairs writers", Pattern.compile("^curate comparisons")),
            Map.entry("estimate annotators", Pattern.compile("^estimate annotators")),
            Map.entry("ceiling: its one chained task", Pattern.compile("^Source: ceiling source")),
            Map.entry("checkpoints (async part)", Pattern.compile("^AsyncOperations")),
            Map.entry("Kafka producers (sinks)", Pattern.compile("^kafka-producer-network-thread")),
            Map.entry("Kafka broker", Pattern.compile("^(data-plane-kafka|kafka-|TxnMarkerSender|quorum-"
                    + "|LogDirFailureHandler|ExpirationReaper|raft-|broker-)")),
            Map.entry("benchmark main thread", Pattern.compile("^main$")),
            Map.entry("this measurement", Pattern.compile("^bench-cpu-sampler$")));
    private static final String OTHER = "other Java threads";
    /** The group of the JIT compiler threads. */
    static final String JIT = "JVM: JIT compilers";
    /** JVM threads by their Linux names ({@code comm}, at most 15 characters). */
    private static final List<Map.Entry<String, Pattern>> JVM_GROUPS = List.of(
            Map.entry(JIT, Pattern.compile("^C[12] CompilerThre")),
            Map.entry("JVM: garbage collector", Pattern.compile("^(GC Thread|G1 |VM Periodic|VM Thread)")));
    private static final Path TASKS = Path.of("/proc/self/task");
    /** The group of Linux threads that are Java threads, which {@link ThreadMXBean} measures. */
    private static final String NOT_JVM = "";
    /** Clock ticks per second of {@code /proc} CPU times; 100 on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Per thread id: its group and CPU time at the start of the phase (0 for threads started since). */
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<Long, String> groupOf = new HashMap<>();
    /** Thread names, digits replaced by {@code #}, of the threads in {@link #OTHER}. */
    private final Map<Long, String> otherName = new HashMap<>();
    /** The same for JVM threads, by Linux thread id, in nanoseconds. */
    private final Map<String, Long> jvmStartCpu = new HashMap<>();
    private final Map<String, Long> jvmLastCpu = new HashMap<>();
    private final Map<String, String> jvmGroupOf = new HashMap<>();
    private final ScheduledExecutorService sampler;
    private final long startProcessCpu;
    private boolean started;

    private CpuTimes() {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        startProcessCpu = os.getProcessCpuTime();
        sample();
        started = true;
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts measuring now. */
    static CpuTimes start() {
        return new CpuTimes();
    }

    /** Stops measuring. */
    Breakdown stop() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long total = os.getProcessCpuTime() - startProcessCpu;
        synchronized (this) {
            sampleLocked();
            Map<String, Long> byGroup = new LinkedHashMap<>();
            GROUPS.forEach(g -> byGroup.put(g.getKey(), 0L));
            byGroup.put(OTHER, 0L);
            long sampled = 0;
            Map<String, Long> others = new HashMap<>();
            for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
                long used = e.getValue() - startCpu.getOrDefault(e.getKey(), 0L);
                byGroup.merge(groupOf.get(e.getKey()), used, Long::sum);
                String other = otherName.get(e.getKey());
                if (other != null) {
                    others.merge(other, used, Long::sum);
                }
                sampled += used;
            }
            JVM_GROUPS.forEach(g -> byGroup.put(g.getKey(), 0L));
            for (Map.Entry<String, Long> e : jvmLastCpu.entrySet()) {
                long used = e.getValue() - jvmStartCpu.getOrDefault(e.getKey(), 0L);
                byGroup.merge(jvmGroupOf.get(e.getKey()), used, Long::sum);
                sampled += used;
            }
            byGroup.put(UNSAMPLED, Math.max(0, total - sampled));
            byGroup.values().removeIf(v -> v == 0);
            Map<String, Long> topOthers = new LinkedHashMap<>();
            others.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> topOthers.put(e.getKey(), e.getValue()));
            return new Breakdown(Duration.ofNanos(total), byGroup, topOthers);
        }
    }

    private synchronized void sample() {
        sampleLocked();
    }

    private void sampleLocked() {
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) {
                continue;
            }
            if (!groupOf.containsKey(id)) {
                ThreadInfo info = threads.getThreadInfo(id);
                if (info == null) {
                    continue;
                }
                String group = group(info.getThreadName());
                groupOf.put(id, group);
                if (group.equals(OTHER)) {
                    otherName.put(id, info.getThreadName().replaceAll("\\d+", "#"));
                }
                startCpu.put(id, started ? 0 : cpu);
            }
            lastCpu.put(id, cpu);
        }
        sampleJvmThreads();
    }

    private void sampleJvmThreads() {
        if (!Files.isDirectory(TASKS)) {
            return;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                sampleJvmThread(task);
            }
        } catch (IOException | UncheckedIOException e) {
            // the next sample tries again
        }
    }

    private void sampleJvmThread(Path task) {
        String tid = task.getFileName().toString();
        try {
            String group = jvmGroupOf.get(tid);
            if (group == null) {
                group = jvmGroup(Files.readString(task.resolve("comm")).strip());
                jvmGroupOf.put(tid, group);
            }
            if (group.equals(NOT_JVM)) {
                return;
            }
            long cpu = procCpuNanos(Files.readString(task.resolve("stat")));
            jvmStartCpu.putIfAbsent(tid, started ? 0 : cpu);
            jvmLastCpu.put(tid, cpu);
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            // a thread that ended while being read
        }
    }

    private static String jvmGroup(String comm) {
        for (Map.Entry<String, Pattern> g : JVM_GROUPS) {
            if (g.getValue().matcher(comm).find()) {
                return g.getKey();
            }
        }
        return NOT_JVM;
    }

    /** utime + stime of a {@code /proc/.../stat} line; the name in parentheses may itself hold spaces. */
    private static long procCpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the name: state is field 3 of stat(5), utime 14 and stime 15
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private static String group(String threadName) {
        for (Map.Entry<String, Pattern> g : GROUPS) {
            if (g.getValue().matcher(threadName).find()) {
                return g.getKey();
            }
        }
        return OTHER;
    }

    /**
     * @param total the process's CPU time in the phase
     * @param byGroup CPU time by group of threads, groups without any left out; adds up to {@code total}
     * @param topOthers the busiest of the other Java threads, by name (digits as {@code #}), at most five
     */
    record Breakdown(Duration total, Map<String, Long> byGroup, Map<String, Long> topOthers) {}
}
