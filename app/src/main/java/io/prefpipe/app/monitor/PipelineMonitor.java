package io.prefpipe.app.monitor;

import io.prefpipe.app.monitor.MonitorSnapshot.CurationCounts;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a running prefpipe through its own topics, so it shows the same beside the demo and beside a separate
 * long-running job: it reads the dead-letter, pairs, annotators and checkpoints topics from their beginning, or the
 * first three from {@link MonitorConfig#readBack()} ago (committed records only, without a consumer group of its own),
 * and every refresh interval reads the feedback topics' end offsets, the curation group's committed offsets (the lag)
 * and the snapshot manifests. Filter counts by reason are on no topic; they come from the manifests and, when the
 * curation job runs in this process, from {@link #curationListener()}.
 *
 * <p>A background thread does all reading; {@link #snapshot()} is thread-safe and returns an immutable copy. A record
 * that cannot be decoded is skipped and counted in {@link #undecodable()}. Close to stop the thread and its clients.
 */
public final class PipelineMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMonitor.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final MonitorConfig config;
    private final Clock clock;
    private final MonitorState state;
    private final Object lock = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    /** Both written by the monitor thread only. */
    private volatile long undecodable;
    private volatile long refreshes;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Touched by the monitor thread only. */
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Touched by the monitor thread only: each manifest's modification time when it was last read. */
    private final Map<Path, Long> manifestTimes = new HashMap<>();
    /** When the monitor started, on its clock: the end of the read-back window. */
    private final long startedMillis;

    private PipelineMonitor(MonitorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.state = new MonitorState(config.historyPoints());
        this.startedMillis = clock.millis();
        this.thread = new Thread(this::run, "prefpipe-monitor");
        this.thread.setDaemon(true);
    }

    /** Starts watching; returns at once. */
    public static PipelineMonitor start(MonitorConfig config) {
        PipelineMonitor monitor = new PipelineMonitor(config, Clock.systemUTC());
        monitor.thread.start();
        return monitor;
    }

    public MonitorConfig config() {
        return config;
    }

    /** What is known now. */
    public MonitorSnapshot snapshot() {
        synchronized (lock) {
            return state.snapshot(clock.millis());
        }
    }

    /** Records on the watched topics that could not be decoded as their schema and were skipped. */
    public long undecodable() {
        return undecodable;
    }

    /** Completed refreshes of offsets, lag and manifests since the start. */
    public long refreshes() {
        return refreshes;
    }

    /**
     * A listener to hand the curation job when it runs in this process: it gives the job's running counts, filters by
     * reason included, and reads the manifest a bounded run writes.
     */
    public CurationProgressListener curationListener() {
        return new CurationProgressListener() {
            @Override
            public void onProgress(Counts counts, Duration elapsed) {
                record(counts);
            }

            @Override
            public void onFinished(CurationReport report) {
                record(report.counts());
                synchronized (lock) {
                    state.manifest(report.snapshotDir().toAbsolutePath().toString(), report.manifest());
                }
            }

            private void record(Counts c) {
                CurationCounts counts = new CurationCounts("job", clock.millis(), c.eventsIn(), c.curatedEvents(),
                        c.pairs(), c.filtered(), c.deadLettered());
                synchronized (lock) {
                    state.curationCounts(counts);
                }
            }
        };
    }

    /** Stops the background thread and closes its Kafka clients; waits up to 30 s for it. */
    @Override
    public void close() {
        closing.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean closing() {
        return closing.getCount() == 0;
    }

    private void run() {
        Map<String, Object> common = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        Map<String, Object> consumerProps = new HashMap<>(common);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "prefpipe-monitor");
        try (Admin admin = Admin.create(common);
                KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer = c;
            Decoders decoders = new Decoders();
            long nextRefresh = 0;
            while (!closing()) {
                try {
                    if (System.nanoTime() >= nextRefresh) {
                        refresh(admin, c);
                        nextRefresh = System.nanoTime() + config.refreshInterval().toNanos();
                    }
                    if (c.assignment().isEmpty()) {
                        // nothing to read until the job creates its topics
                        closing.await(Math.max(1, (nextRefresh - System.nanoTime()) / 1_000_000),
                                TimeUnit.MILLISECONDS);
                        continue;
                    }
                    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                    c.poll(POLL).forEach(records::add);
                    if (!records.isEmpty()) {
                        apply(records, decoders);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // a dashboard is left open across broker restarts: report, wait a refresh, try again
                    LOG.warn("monitor cannot read from {}: {}", config.bootstrapServers(), e.toString());
                    closing.await(config.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (WakeupException e) {
            if (!closing()) {
                LOG.error("monitor woken up while not closing", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("pipeline monitor stopped", e);
        } finally {
            consumer = null;
        }
    }

    /** Decoders of each watched topic's schema; used by the monitor thread only. */
    private static final class Decoders {
        final AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.class);
        final AvroCodec<PreferencePair> pairs = new AvroCodec<>(PreferencePair.class);
        final AvroCodec<AnnotatorEstimate> annotators = new AvroCodec<>(AnnotatorEstimate.class);
        final AvroCodec<CheckpointEvent> checkpoints = new AvroCodec<>(CheckpointEvent.class);
    }

    private void apply(List<ConsumerRecord<byte[], byte[]>> records, Decoders d) {
        synchronized (lock) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                try {
                    String topic = r.topic();
                    if (topic.equals(config.deadLetterTopic())) {
                        state.deadLetter(d.deadLetters.decode(r.value()));
                    } else if (topic.equals(config.pairsTopic())) {
                        state.pair(d.pairs.decode(r.value()));
                    } else if (topic.equals(config.annotatorsTopic())) {
                        state.annotator(d.annotators.decode(r.value()));
                    } else if (topic.equals(config.checkpointsTopic())) {
                        state.checkpoint(d.checkpoints.decode(r.value()));
                    }
                } catch (IOException | RuntimeException e) {
                    undecodable++;
                    LOG.debug("skipping undecodable record {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
                }
            }
        }
    }

    /** Reads offsets, lag and manifests, adds a point to the time series, and assigns partitions that appeared. */
    private void refresh(Admin admin, KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assignNew(admin, c, existing);
            List<String> feedback = Stream.of(config.feedbackTopic(), config.feedbackJsonTopic())
                    .filter(existing::contains).toList();
            Map<TopicPartition, Long> ends = endOffsets(admin, feedback);
            Map<String, Long> byTopic = new TreeMap<>();
            feedback.forEach(t -> byTopic.put(t, 0L));
            ends.forEach((tp, end) -> byTopic.merge(tp.topic(), end, Long::sum));
            Long lag = lag(admin, ends);
            List<Map.Entry<String, SnapshotManifest>> manifests = newManifests();
            synchronized (lock) {
                manifests.forEach(m -> state.manifest(m.getKey(), m.getValue()));
                state.sample(clock.millis(), byTopic, lag);
            }
            refreshes++;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot read offsets from {}: {}", config.bootstrapServers(), e.toString());
        }
    }

    private void assignNew(Admin admin, KafkaConsumer<byte[], byte[]> c, Set<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> watched = Stream.of(config.deadLetterTopic(), config.pairsTopic(), config.annotatorsTopic(),
                config.checkpointsTopic()).filter(existing::contains).toList();
        if (watched.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>();
        for (TopicDescription d : admin.describeTopics(watched).allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
            d.partitions().forEach(p -> all.add(new TopicPartition(d.name(), p.partition())));
        }
        if (!assigned.containsAll(all)) {
            Set<TopicPartition> added = new HashSet<>(all);
            added.removeAll(assigned);
            assigned.addAll(all);
            c.assign(assigned);
            seekToStart(c, added);
        }
    }

    /**
     * Puts newly assigned partitions at the first record to read: the beginning, or with a read-back window the first
     * record whose Kafka timestamp is inside it (the end when there is none).
     */
    private void seekToStart(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> added) {
        Map<TopicPartition, Long> since = new HashMap<>();
        if (config.readBack() != null) {
            long from = startedMillis - config.readBack().toMillis();
            added.stream().filter(tp -> !tp.topic().equals(config.checkpointsTopic()))
                    .forEach(tp -> since.put(tp, from));
        }
        Set<TopicPartition> whole = new HashSet<>(added);
        whole.removeAll(since.keySet());
        c.seekToBeginning(whole);
        if (since.isEmpty()) {
            return;
        }
        // the ends are taken first and sought to as numbers: a lazy seek to the end would skip what a partition (a
        // topic created just now, say) receives between the lookup and the next poll
        Map<TopicPartition, Long> ends = c.endOffsets(since.keySet(), ADMIN_TIMEOUT);
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(since, ADMIN_TIMEOUT);
        since.keySet().forEach(tp -> {
            OffsetAndTimestamp at = found.get(tp);
            c.seek(tp, at != null ? at.offset() : ends.get(tp));
        });
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(request).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    /** Messages on the feedback partitions past the group's committed offsets; null when it committed none there. */
    private Long lag(Admin admin, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.curationGroupId())
                .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long lag = 0;
        boolean any = false;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(e.getKey());
            if (offset != null) {
                any = true;
                lag += Math.max(0, e.getValue() - offset.offset());
            } else {
                lag += e.getValue();
            }
        }
        return any ? lag : null;
    }

    /** Manifests written or changed since the last look, by snapshot folder. */
    private List<Map.Entry<String, SnapshotManifest>> newManifests() {
        Path root = config.snapshotsDir();
        if (root == null || !Files.isDirectory(root)) {
            return List.of();
        }
        List<Map.Entry<String, SnapshotManifest>> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path file = dir.resolve(SnapshotManifest.FILE_NAME);
                if (!Files.exists(file)) {
                    continue;
                }
                long modified = Files.getLastModifiedTime(file).toMillis();
                if (Long.valueOf(modified).equals(manifestTimes.get(file))) {
                    continue;
                }
                try {
                    found.add(Map.entry(dir.toAbsolutePath().toString(), SnapshotManifest.read(dir)));
                    manifestTimes.put(file, modified);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot read snapshot manifest {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list snapshots in {}: {}", root, e.toString());
        }
        return found;
    }
}
