package io.prefpipe.app.bench;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Curation throughput against the raw consumer, in one run on one broker:
 *
 * <ol>
 *   <li>unless told not to, warms the JVM up: the raw consumer, the read floor, a curation job and the ceiling go
 *       through judgements of another topic first, unmeasured;
 *   <li>writes {@link BenchFeedback} judgements as Avro to a topic;
 *   <li><b>raw consumer</b>: one {@link KafkaConsumer} reads the whole topic and decodes every value into a {@link
 *       FeedbackEvent}: the least any consumer of this topic must do;
 *   <li><b>Flink read floor</b>: a Flink job on a MiniCluster that only reads the same topic with Flink's Kafka source
 *       and decodes every value ({@link FlinkReadFloor}): what the framework costs before any curation;
 *   <li><b>curation job</b>: a bounded {@link CurationJob} run from the same topic to a committed Parquet snapshot,
 *       wall-clock from submission to the written manifest, MiniCluster start-up included;
 *   <li><b>partition-local ceiling</b>: the least job that writes the same outputs ({@link PartitionLocalCeiling}),
 *       at one subtask per partition: a bound on what a Flink job with those outputs reaches here;
 *   <li><b>latency</b>: an unbounded job on a second topic while judgements are produced at a fixed rate with their
 *       event time set when they are sent; a pair's latency is the time its Parquet file appeared committed (polled
 *       every 20 ms) minus the event time of the judgement that completed it (pairs are emitted after {@code minVotes}
 *       votes), so it spans the producer, the broker, the job
 *       and the checkpoint that commits the file.
 * </ol>
 *
 * Peak memory is the process's resident-set high-water mark ({@code VmHWM}, reset before each phase where the kernel
 * allows) and the peak of the heap pools. CPU time ({@link CpuTimes}) is the process's, by group of threads: it
 * depends far less than wall-clock time on what else runs on the machine.
 */
public final class CurationBenchmark {

    /**
     * @param bootstrap a broker to use
     * @param workDir snapshots and checkpoints go here
     * @param feedback the generated judgements
     * @param partitions of the benchmark topics
     * @param parallelism of the curation job
     * @param latencyRate judgements per second in the latency phase
     * @param latencyDuration how long the latency phase produces; zero leaves the phase out
     * @param checkpointInterval of the latency phase's job: how often files are committed (the throughput phase keeps
     *     the job's default)
     * @param warmupJudgements judgements of a separate topic that the raw consumer, the read floor, a curation job and
     *     the ceiling go through before anything is measured, so that the JIT compiler has compiled the hot code; 0
     *     measures a cold JVM
     * @param aggregator the curation jobs' label aggregator (see {@link io.prefpipe.flink.curate.Aggregators})
     * @param flinkSettings Flink settings of the curation jobs' MiniClusters, e.g. the state backend
     */
    public record Options(String bootstrap, Path workDir, BenchFeedback.Config feedback, int partitions,
            int parallelism, int latencyRate, Duration latencyDuration, Duration checkpointInterval,
            long warmupJudgements, String aggregator, Map<String, String> flinkSettings) {
        public Options {
            flinkSettings = Map.copyOf(flinkSettings);
        }
    }

    /** Records/s, memory and CPU time of one phase. */
    public record Phase(String name, long records, Duration elapsed, long peakRssBytes, long peakHeapBytes,
            CpuTimes.Breakdown cpu) {
        public double recordsPerSecond() {
            return records / (elapsed.toNanos() / 1e9);
        }

        /** CPU time of the whole process (all cores, the embedded broker included) per record. */
        public double cpuMicrosPerRecord() {
            return cpu.total().toNanos() / 1e3 / records;
        }
    }

    /** Event-to-committed-file latency percentiles over {@code pairs} pairs. */
    public record Latency(long pairs, double rate, Duration p50, Duration p99, Duration max) {}

    /** @param latency {@code null} when the latency phase was left out */
    public record Result(long bytesProduced, Duration produceTime, Phase rawConsumer, Phase flinkReadFloor,
            Phase curation, CurationReport report, Phase ceiling, PartitionLocalCeiling.Counts ceilingCounts,
            Latency latency) {
        public double ratio() {
            return curation.recordsPerSecond() / rawConsumer.recordsPerSecond();
        }
    }

    private final Options options;
    private final PrintStream console;

    public CurationBenchmark(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    public Result run() throws Exception {
        // a Flink setting the job sets itself is refused now, not after minutes of producing
        CurationJob.checkFlinkSettings(jobConfig("bench.check", "check", true,
                CurationJobOptions.CHECKPOINT_INTERVAL.defaultValue()));
        if (options.warmupJudgements() > 0) {
            warmUp();
        }
        String topic = "bench.feedback";
        Topics.ensure(options.bootstrap(), List.of(topic), options.partitions(), (short) 1);
        long start = System.nanoTime();
        long bytes = produce(topic, new BenchFeedback(options.feedback(), Instant.parse("2026-01-01T00:00:00Z")),
                0, true);
        Duration produceTime = Duration.ofNanos(System.nanoTime() - start);
        long n = options.feedback().judgements();
        console.printf(Locale.ROOT, "produced %,d judgements (%,.1f MB of Avro) in %.1f s%n", n, bytes / 1e6,
                produceTime.toNanos() / 1e9);

        Phase raw = measure("raw consumer", () -> consumeAndDecode(topic, n));
        Phase floor = measure("Flink read floor", () -> FlinkReadFloor.run(options.bootstrap(), topic,
                options.parallelism()));
        AtomicReference<CurationReport> report = new AtomicReference<>();
        Phase curation = measure("curation job", () -> {
            // the job's own checkpoint interval: what a user runs; only the latency phase commits more often
            CurationReport r = CurationJob.run(jobConfig(topic, "throughput", true,
                    CurationJobOptions.CHECKPOINT_INTERVAL.defaultValue()), CurationProgressListener.NONE);
            report.set(r);
            return r.eventsIn();
        });
        AtomicReference<PartitionLocalCeiling.Counts> ceilingCounts = new AtomicReference<>();
        Phase ceiling = measure("local ceiling", () -> {
            PartitionLocalCeiling.Counts c = ceiling(topic, "throughput");
            ceilingCounts.set(c);
            return c.in();
        });
        Latency latency = options.latencyDuration().isZero() ? null : latency();
        return new Result(bytes, produceTime, raw, floor, curation, report.get(), ceiling, ceilingCounts.get(),
                latency);
    }

    /**
     * Runs the raw consumer, the read floor, a curation job and the ceiling over judgements of their own, unmeasured:
     * a JVM spends tens of CPU seconds compiling Flink's, Kafka's and Parquet's hot code, which a long-running job pays
     * once at its start.
     */
    private void warmUp() throws Exception {
        String topic = "bench.warmup";
        Topics.ensure(options.bootstrap(), List.of(topic), options.partitions(), (short) 1);
        BenchFeedback.Config c = options.feedback();
        long n = options.warmupJudgements();
        long start = System.nanoTime();
        produce(topic, new BenchFeedback(new BenchFeedback.Config(n, c.promptBytes(), c.responseBytes(), c.minVotes(),
                c.maxVotes(), c.annotators(), c.seed() + 2), Instant.parse("2025-06-01T00:00:00Z")), 0, true);
        consumeAndDecode(topic, n);
        FlinkReadFloor.run(options.bootstrap(), topic, options.parallelism());
        CurationJob.run(jobConfig(topic, "warmup", true, CurationJobOptions.CHECKPOINT_INTERVAL.defaultValue()),
                CurationProgressListener.NONE);
        ceiling(topic, "warmup");
        console.printf(Locale.ROOT, "warm-up: %,d judgements produced, consumed and curated in %.1f s%n", n,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Both jobs decide a comparison at {@code minVotes} votes, as a job that must commit pairs soon after their votes
     * does; later votes on a decided comparison are filtered, and counted as such.
     */
    private CurationJobConfig jobConfig(String topic, String name, boolean bounded, Duration checkpointInterval) {
        String id = "bench-" + name + "-" + System.currentTimeMillis();
        CurationJobConfig.Builder b = CurationJobConfig.builder();
        options.flinkSettings().forEach(b::setFlinkSetting);
        return b
                .setBootstrapServers(options.bootstrap())
                .setFeedbackTopic(topic)
                .setFeedbackJsonTopic(topic + ".json")
                .setDeadLetterTopic(topic + ".dlq")
                .setPairsTopic(topic + ".pairs")
                .setAnnotatorsTopic(topic + ".annotators")
                .setGroupId(id)
                .setTransactionalIdPrefix(id)
                .setBounded(bounded)
                .setParallelism(options.parallelism())
                .setCheckpointInterval(checkpointInterval)
                .setEmitAfterVotes(options.feedback().minVotes())
                .setAggregator(options.aggregator())
                .setSnapshotDir(options.workDir().resolve(id))
                .setSnapshotId(id)
                .build();
    }

    /**
     * Runs the {@link PartitionLocalCeiling} over {@code topic} at one subtask per partition, with the curation job's
     * vote count and checkpoint interval.
     */
    private PartitionLocalCeiling.Counts ceiling(String topic, String name) throws Exception {
        String pairsTopic = topic + ".ceiling-pairs";
        Topics.ensure(options.bootstrap(), List.of(pairsTopic), options.partitions(), (short) 1);
        return PartitionLocalCeiling.run(options.bootstrap(), topic, options.partitions(),
                options.feedback().minVotes(), options.workDir().resolve("ceiling-" + name),
                pairsTopic, CurationJobOptions.CHECKPOINT_INTERVAL.defaultValue());
    }

    /** Sends the judgements, paced to {@code rate} per second if positive, with event time = send time if asked. */
    private long produce(String topic, BenchFeedback feedback, int rate, boolean keepEventTimes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 ? 1 : 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        long total = feedback.config().judgements();
        long bytes = 0;
        long sent = 0;
        long begin = System.nanoTime();
        long report = Math.max(1, total / 10);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (FeedbackEvent event : feedback) {
                if (rate > 0) {
                    long due = begin + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                if (!keepEventTimes) {
                    event.setEventTime(Instant.now());
                }
                byte[] value = codec.encode(event);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic,
                        event.getComparisonId().getBytes(StandardCharsets.UTF_8), value));
                sent++;
                if (rate == 0 && sent % report == 0) {
                    console.printf(Locale.ROOT, "  produced %,d / %,d%n", sent, total);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
        return bytes;
    }

    /** Reads the topic from its start until {@code n} values are decoded; returns the count. */
    private long consumeAndDecode(String topic, long n) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        long decoded = 0;
        long check = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (decoded < n) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    check += codec.decode(record.value()).getEventTime().toEpochMilli();
                    decoded++;
                }
            }
        }
        if (check == 0) {
            throw new IllegalStateException("decoded nothing");
        }
        return decoded;
    }

    private Latency latency() throws IOException, InterruptedException {
        String topic = "bench.latency";
        Topics.ensure(options.bootstrap(), List.of(topic), options.partitions(), (short) 1);
        long judgements = (long) options.latencyRate() * options.latencyDuration().toSeconds();
        BenchFeedback.Config c = options.feedback();
        BenchFeedback feedback = new BenchFeedback(new BenchFeedback.Config(judgements, c.promptBytes(),
                c.responseBytes(), c.minVotes(), c.maxVotes(), c.annotators(), c.seed() + 1), Instant.now());
        CurationJobConfig config = jobConfig(topic, "latency", false, options.checkpointInterval());
        Map<Path, Long> firstSeen = new ConcurrentHashMap<>();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-file-watcher");
            t.setDaemon(true);
            return t;
        });
        console.printf(Locale.ROOT, "latency: %,d judgements at %,d/s into a running job (checkpoints every %d ms)"
                + " ...%n", judgements, options.latencyRate(), options.checkpointInterval().toMillis());
        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE)) {
            watcher.scheduleWithFixedDelay(() -> watch(config.snapshotDir(), firstSeen), 0, 20,
                    TimeUnit.MILLISECONDS);
            produce(topic, feedback, options.latencyRate(), false);
            // the last comparisons are committed by the checkpoints after the last send
            long deadline = System.nanoTime() + 4 * options.checkpointInterval().toNanos() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } finally {
            watcher.shutdownNow();
        }
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<Path, Long> file : firstSeen.entrySet()) {
            for (PreferencePair pair : read(file.getKey())) {
                latencies.add(file.getValue() - pair.getLastEventTime().toEpochMilli());
            }
        }
        if (latencies.isEmpty()) {
            throw new IllegalStateException("the latency phase committed no pairs");
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Latency(sorted.length, options.latencyRate(), Duration.ofMillis(percentile(sorted, 0.5)),
                Duration.ofMillis(percentile(sorted, 0.99)), Duration.ofMillis(sorted[sorted.length - 1]));
    }

    private static void watch(Path dir, Map<Path, Long> firstSeen) {
        long now = System.currentTimeMillis();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> firstSeen.putIfAbsent(f, now));
        } catch (IOException | UncheckedIOException e) {
            // a file renamed while walking; the next poll sees it
        }
    }

    private static List<PreferencePair> read(Path file) throws IOException {
        List<PreferencePair> pairs = new ArrayList<>();
        try (ParquetReader<PreferencePair> reader = AvroParquetReader.<PreferencePair>builder(new LocalInputFile(file))
                .withDataModel(SpecificData.getForClass(PreferencePair.class)).build()) {
            for (PreferencePair p = reader.read(); p != null; p = reader.read()) {
                pairs.add(p);
            }
        }
        return pairs;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private interface Measured {
        long run() throws Exception;
    }

    private Phase measure(String name, Measured work) throws Exception {
        console.printf(Locale.ROOT, "%s ...%n", name);
        resetPeaks();
        CpuTimes cpu = CpuTimes.start();
        long start = System.nanoTime();
        long records = work.run();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Phase phase = new Phase(name, records, elapsed, peakRss(), peakHeap(), cpu.stop());
        console.printf(Locale.ROOT, "  %,d records in %.2f s: %,.0f records/s, %.1f CPU-µs per record%n", records,
                elapsed.toNanos() / 1e9, phase.recordsPerSecond(), phase.cpuMicrosPerRecord());
        return phase;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            // "5" resets the resident-set high-water mark (Linux 4.0+); without it VmHWM covers the whole process
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // the peak then includes earlier phases, which the summary says
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
