package io.prefpipe.flink.curate;

import io.prefpipe.flink.kafka.KafkaPayload;
import io.prefpipe.flink.kafka.RawPayloadDeserializationSchema;
import io.prefpipe.flink.kafka.RestorableBoundedSource;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The job graph: feedback source (the Avro and the JSON topic) → decode and validate (dead letters to their topic) →
 * event time → dedupe by event id (conflicting reuses of an id to the dead letters too) → curate by comparison id →
 * pairs to Parquet and to the pairs topic. Beside curation, the deduplicated events' pairwise votes feed one
 * annotator-model estimator, whose models are broadcast to curation and whose per-annotator estimates go to the
 * annotators topic. Every operator has a stable uid so state survives changes to the graph around it.
 */
final class CurationTopology {
    private CurationTopology() {}

    /**
     * Adds the curation job's operators to {@code env}, reading what {@code plan} covers.
     *
     * @param probe a function every valid event passes through before dedupe, for tests that inject faults; or
     *     {@code null}, as in every production run
     */
    static void attach(StreamExecutionEnvironment env, CurationJobConfig config, SourcePlan plan,
            MapFunction<FeedbackEvent, FeedbackEvent> probe) {
        if (!config.bounded()) {
            // An unbounded job records each checkpoint's counts and offsets, from which snapshots are cut.
            env.getConfig().setGlobalJobParameters(Configuration.fromMap(Map.of(FateCounters.LEDGER_DIR,
                    new Path(new Path(config.snapshotLocation()), CheckpointLedger.FOLDER).toString())));
        }
        // No operator keeps or changes a record it has emitted or received (buffered events come fresh off the
        // network), so chained operators may pass records on without Flink copying each one first.
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<ValidEvent> events = env
                .fromSource(source(config, plan), WatermarkStrategy.noWatermarks(), "feedback source")
                .uid("feedback-source")
                .process(new DecodeAndValidate(config.validationLimits(), config.feedbackJsonTopic()))
                .returns(TypeInformation.of(ValidEvent.class))
                .uid("decode-validate")
                .name("decode and validate");

        DataStream<ValidEvent> probed = probe == null ? events
                : events.map(new ProbeValidEvents(probe)).returns(TypeInformation.of(ValidEvent.class))
                        .uid("probe").name("probe");
        SingleOutputStreamOperator<ValidEvent> deduplicated = probed
                .assignTimestampsAndWatermarks(
                        EventTimeWatermarks.strategy(config.maxOutOfOrderness(), config.sourceIdleness()))
                .uid("event-time")
                .name("event time")
                .keyBy(ValidEvent::eventId, Types.STRING)
                .process(new DeduplicateEvents(config.dedupeTtl()))
                .returns(TypeInformation.of(ValidEvent.class))
                .uid("dedupe")
                .name("dedupe by event id");

        events.getSideOutput(DecodeAndValidate.DEAD_LETTERS)
                .union(deduplicated.getSideOutput(DecodeAndValidate.DEAD_LETTERS))
                .sinkTo(kafkaSink(config, config.deadLetterTopic(), DeadLetter.class, d -> null, "dlq"))
                .uid("dead-letter-sink")
                .name("dead-letter sink");

        SingleOutputStreamOperator<AnnotatorModelUpdate> models = deduplicated
                .flatMap(new WindowVotes())
                .returns(TypeInformation.of(WindowVote.class))
                .uid("window-votes")
                .name("pairwise votes")
                .keyBy(v -> EstimateAnnotators.KEY, Types.STRING)
                .process(new EstimateAnnotators(config.aggregator(), config.estimatorWindowVotes(),
                        config.estimatorRefitEveryVotes(), config.estimatorRefitInterval(),
                        config.estimatorMaxTimeShare()))
                .returns(TypeInformation.of(AnnotatorModelUpdate.class))
                // one model of all annotators, fitted in one place
                .setParallelism(1)
                .uid("estimate-annotators")
                .name("estimate annotators");
        SingleOutputStreamOperator<AnnotatorModelUpdate> modelStream = models
                .transform("model stream watermarks", models.getType(),
                        new ModelStreamWatermarks<>(config.bounded()))
                .setParallelism(1)
                .uid("model-stream-watermarks");
        models.getSideOutput(EstimateAnnotators.ESTIMATES)
                .sinkTo(kafkaSink(config, config.annotatorsTopic(), AnnotatorEstimate.class,
                        AnnotatorEstimate::getAnnotatorId, "annotators"))
                .setParallelism(1)
                .uid("annotators-sink")
                .name("annotators sink");
        BroadcastStream<AnnotatorModelUpdate> latestModel = modelStream.broadcast(CurateComparisons.MODEL);

        DataStream<PreferencePair> pairs = deduplicated
                .keyBy(ValidEvent::comparisonId, Types.STRING)
                .connect(latestModel)
                // the estimator fits at the latest one refit interval after its first vote; twice that without a
                // model means it has had nothing to fit
                .process(new CurateComparisons(config.aggregator(), config.emitAfterVotes(),
                        config.comparisonWindow(), config.closedComparisonTtl(), config.ambiguityThreshold(),
                        config.estimatorRefitInterval().multipliedBy(2)))
                .returns(new AvroTypeInfo<>(PreferencePair.class))
                .uid("curate")
                .name("curate comparisons");

        pairs.sinkTo(CurationSinks.parquet(new Path(config.snapshotLocation())))
                .uid("parquet-sink")
                .name("Parquet sink");
        pairs.sinkTo(kafkaSink(config, config.pairsTopic(), PreferencePair.class, PreferencePair::getPairId, "pairs"))
                .uid("pairs-sink")
                .name("pairs sink");
    }

    private static Source<KafkaPayload, ?, ?> source(CurationJobConfig config, SourcePlan plan) {
        KafkaSourceBuilder<KafkaPayload> b = KafkaSource.<KafkaPayload>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.feedbackTopic(), config.feedbackJsonTopic())
                .setGroupId(config.groupId())
                .setClientIdPrefix(config.groupId() + "-" + config.snapshotId())
                .setDeserializer(new RawPayloadDeserializationSchema())
                .setStartingOffsets(OffsetsInitializer.offsets(plan.startOffsets()))
                // Producers may write feedback in transactions; only committed events are real.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                // A bounded run commits its offsets itself once the snapshot is complete (see SourcePlanner), so a
                // failed run never advances the group; an unbounded run commits on each checkpoint for monitoring.
                .setProperty("commit.offsets.on.checkpoint", Boolean.toString(!config.bounded()));
        if (config.bounded()) {
            b.setBounded(OffsetsInitializer.offsets(plan.endOffsets()));
            return new RestorableBoundedSource<>(b.build());
        }
        return b.build();
    }

    private static <T extends SpecificRecord> KafkaSink<T> kafkaSink(
            CurationJobConfig config, String topic, Class<T> type, SerializableFunction<T, String> key, String name) {
        return CurationSinks.exactlyOnce(config.bootstrapServers(), topic, type, key,
                config.transactionalIdPrefix() + "-" + name, config.transactionTimeout());
    }
}
