package io.prefpipe.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
 * and take their counters with them; a thread that ends loses at most its last interval. What the JVM's own threads
 * (garbage collection, JIT compilation) use and that lost remainder are the difference to the total, shown as
 * {@link #JVM_AND_UNSAMPLED}.
 */
final class CpuTimes {
    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    static final String JVM_AND_UNSAMPLED = "JVM (GC, JIT) and unsampled";

    /** Groups of threads by name, first match wins; the names are those Flink gives the curation job's tasks. */
    private static final List<Map.Entry<String, Pattern>> GROUPS = List.of(
            Map.entry("source: decode, validate", Pattern.compile("^Source: feedback source")),
            Map.entry("source: Kafka fetcher", Pattern.compile("^Source Data Fetcher")),
            Map.entry("dedupe, votes", Pattern.compile("^dedupe by event id")),
            Map.entry("curate, Parquet + pairs writers", Pattern.compile("^curate comparisons")),
            Map.entry("estimate annotators", Pattern.compile("^estimate annotators")),
            Map.entry("checkpoints (async part)", Pattern.compile("^AsyncOperations")),
            Map.entry("Kafka producers (sinks)", Pattern.compile("^kafka-producer-network-thread")),
            Map.entry("Kafka broker", Pattern.compile("^(data-plane-kafka|kafka-|TxnMarkerSender|quorum-"
                    + "|LogDirFailureHandler|ExpirationReaper|raft-|broker-)")),
            Map.entry("benchmark main thread", Pattern.compile("^main$")));
    private static final String OTHER = "other Java threads";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Per thread id: its group and CPU time at the start of the phase (0 for threads started since). */
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<Long, String> groupOf = new HashMap<>();
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
            for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
                long used = e.getValue() - startCpu.getOrDefault(e.getKey(), 0L);
                byGroup.merge(groupOf.get(e.getKey()), used, Long::sum);
                sampled += used;
            }
            byGroup.put(JVM_AND_UNSAMPLED, Math.max(0, total - sampled));
            byGroup.values().removeIf(v -> v == 0);
            return new Breakdown(Duration.ofNanos(total), byGroup);
        }
    }

    private synchronized void sample() {
        sampleLocked();
    }

    private void sampleLocked() {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long id = info.getThreadId();
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) {
                continue;
            }
            if (!groupOf.containsKey(id)) {
                groupOf.put(id, group(info.getThreadName()));
                startCpu.put(id, started ? 0 : cpu);
            }
            lastCpu.put(id, cpu);
        }
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
     */
    record Breakdown(Duration total, Map<String, Long> byGroup) {}
}
