package io.prefpipe.app.bench;

import io.prefpipe.flink.curate.Aggregators;
import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.curate.CurationSinks;
import io.prefpipe.flink.curate.PreferencePairs;
import io.prefpipe.flink.kafka.KafkaPayload;
import io.prefpipe.flink.kafka.RawPayloadDeserializationSchema;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.AvroDecodeException;
import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * A bound on what a Flink curation job reaches here, not a curation job: the least work that still writes the curation
 * job's two outputs with the same connectors and writer, at one subtask per partition. Each subtask reads its
 * partitions and, in one chained task without a network exchange, decodes and validates each judgement, dedupes it by
 * event id, buffers it with its comparison in a plain map and, at the job's vote count, decides the comparison by
 * majority vote with the job's curator, writing the pairs through the job's own sinks ({@link CurationSinks}) to
 * Parquet and to a pairs topic; at the end of the input it decides the comparisons still open, as the bounded
 * job does, so it writes the job's pairs.
 *
 * <p>What it leaves out is what makes the curation job correct and complete: its state is in no checkpoint (a failure
 * would lose it), it fits no annotator model and publishes no estimates, it has no event time (no comparison window,
 * no expiry of ids or closed comparisons) and no dead-letter path. It is exact only because the benchmark keys
 * judgements by comparison id, so that a comparison's votes all reach one subtask; the curation job assumes nothing of
 * the producers' keys.
 */
final class PartitionLocalCeiling {
    private PartitionLocalCeiling() {}

    /** What a run saw: judgements in, pairs out, and the judgements it filtered. */
    record Counts(long in, long pairs, long late, long invalid, long duplicates) {}

    /**
     * Reads {@code topic} from its start to its current end at {@code parallelism}, writing Parquet into
     * {@code parquetDir} and pairs to {@code pairsTopic}, which must exist.
     */
    static Counts run(String bootstrap, String topic, int parallelism, int emitAfterVotes, Path parquetDir,
            String pairsTopic, Duration checkpointInterval) throws Exception {
        Configuration c = new Configuration();
        CurationJob.bindToLoopback(c);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
        env.enableCheckpointing(checkpointInterval.toMillis());
        env.getConfig().enableObjectReuse();
        String id = "bench-ceiling-" + System.nanoTime();
        KafkaSource<KafkaPayload> source = KafkaSource.<KafkaPayload>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(id)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new RawPayloadDeserializationSchema())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
        DataStream<PreferencePair> pairs = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "ceiling source")
                .transform("curate partition-locally", new AvroTypeInfo<>(PreferencePair.class),
                        new CurateLocally(emitAfterVotes));
        pairs.sinkTo(CurationSinks.parquet(new org.apache.flink.core.fs.Path(parquetDir.toUri())))
                .name("Parquet sink");
        pairs.sinkTo(CurationSinks.exactlyOnce(bootstrap, pairsTopic, PreferencePair.class, PreferencePair::getPairId,
                        id, CurationJobOptions.TRANSACTION_TIMEOUT.defaultValue()))
                .name("pairs sink");
        JobExecutionResult result = env.execute("prefpipe bench: partition-local ceiling");
        return new Counts(counter(result, CurateLocally.IN), counter(result, CurateLocally.PAIRS),
                counter(result, CurateLocally.LATE), counter(result, CurateLocally.INVALID),
                counter(result, CurateLocally.DUPLICATES));
    }

    private static long counter(JobExecutionResult result, String name) {
        Long value = result.getAccumulatorResult(name);
        return value == null ? 0 : value;
    }

    /**
     * Everything between the source and the sinks, on the plain maps of one subtask. An operator rather than a
     * function for its end of input, where it decides the comparisons still open, as the bounded curation job does.
     */
    private static final class CurateLocally extends AbstractStreamOperator<PreferencePair>
            implements OneInputStreamOperator<KafkaPayload, PreferencePair>, BoundedOneInput {
        private static final long serialVersionUID = 1L;
        static final String IN = "ceiling-in";
        static final String PAIRS = "ceiling-pairs";
        static final String LATE = "ceiling-late";
        static final String INVALID = "ceiling-invalid";
        static final String DUPLICATES = "ceiling-duplicates";
        /** The curation job's order: its curator's result depends on the order of a comparison's events. */
        private static final Comparator<FeedbackEvent> IN_EVENT_TIME_ORDER =
                Comparator.comparing(FeedbackEvent::getEventTime).thenComparing(FeedbackEvent::getEventId);

        private final int emitAfterVotes;
        private transient AvroCodec<FeedbackEvent> codec;
        private transient FeedbackValidator validator;
        private transient ComparisonCurator curator;
        private transient Map<String, Long> fingerprints;
        private transient Map<String, List<FeedbackEvent>> open;
        private transient Set<String> closed;
        private transient StreamRecord<PreferencePair> outRecord;
        private transient LongCounter in;
        private transient LongCounter pairs;
        private transient LongCounter late;
        private transient LongCounter invalid;
        private transient LongCounter duplicates;

        CurateLocally(int emitAfterVotes) {
            this.emitAfterVotes = emitAfterVotes;
        }

        @Override
        public void open() throws Exception {
            super.open();
            codec = new AvroCodec<>(FeedbackEvent.class);
            validator = new FeedbackValidator(ValidationLimits.DEFAULTS, Clock.systemUTC());
            curator = new ComparisonCurator(Aggregators.decider(Aggregators.MAJORITY_VOTE, null),
                    ComparisonCurator.NO_AMBIGUITY_THRESHOLD);
            fingerprints = new HashMap<>();
            open = new HashMap<>();
            closed = new HashSet<>();
            outRecord = new StreamRecord<>(null);
            in = getRuntimeContext().getLongCounter(IN);
            pairs = getRuntimeContext().getLongCounter(PAIRS);
            late = getRuntimeContext().getLongCounter(LATE);
            invalid = getRuntimeContext().getLongCounter(INVALID);
            duplicates = getRuntimeContext().getLongCounter(DUPLICATES);
        }

        @Override
        public void processElement(StreamRecord<KafkaPayload> element) {
            in.add(1);
            FeedbackEvent event;
            try {
                event = codec.decode(element.getValue().value());
            } catch (AvroDecodeException e) {
                invalid.add(1);
                return;
            }
            if (validator.validate(event).isPresent()) {
                invalid.add(1);
                return;
            }
            if (fingerprints.putIfAbsent(event.getEventId(), ContentFingerprint.of(event)) != null) {
                duplicates.add(1);
                return;
            }
            String comparison = event.getComparisonId();
            if (closed.contains(comparison)) {
                late.add(1);
                return;
            }
            List<FeedbackEvent> events = open.computeIfAbsent(comparison, k -> new ArrayList<>(emitAfterVotes));
            events.add(event);
            if (events.size() >= emitAfterVotes) {
                open.remove(comparison);
                decide(comparison, events);
            }
        }

        @Override
        public void endInput() {
            open.forEach(this::decide);
            open.clear();
        }

        private void decide(String comparison, List<FeedbackEvent> events) {
            closed.add(comparison);
            events.sort(IN_EVENT_TIME_ORDER);
            List<ComparisonCurator.Observed> observed = new ArrayList<>(events.size());
            Map<String, FeedbackEvent> byId = new HashMap<>();
            for (FeedbackEvent e : events) {
                observed.add(FeedbackMapping.toObserved(e));
                byId.put(e.getEventId(), e);
            }
            for (CuratedPair pair : curator.curate(observed).pairs()) {
                pairs.add(1);
                output.collect(outRecord.replace(PreferencePairs.toAvro(pair, byId)));
            }
        }
    }
}
