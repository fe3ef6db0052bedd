package io.prefpipe.app.bench;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.FeedbackEvent;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The least a Flink job that reads the feedback topic does: Flink's Kafka source and a map that decodes each value
 * into a {@link FeedbackEvent}, into a sink that discards, on a MiniCluster as the curation job runs. What it costs
 * over the raw consumer is the framework's share, which no curation logic can win back.
 */
final class FlinkReadFloor {
    private FlinkReadFloor() {}

    /** Reads {@code topic} from its start to its current end; returns the values decoded. */
    static long run(String bootstrap, String topic, int parallelism) throws Exception {
        Configuration c = new Configuration();
        CurationJob.bindToLoopback(c);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId("bench-read-floor-" + System.nanoTime())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "feedback source")
                .map(new Decode())
                .returns(Types.LONG)
                .sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("prefpipe bench: Flink read floor");
        Long decoded = result.getAccumulatorResult(Decode.DECODED);
        return decoded == null ? 0 : decoded;
    }

    private static final class Decode extends RichMapFunction<byte[], Long> {
        private static final long serialVersionUID = 1L;
        static final String DECODED = "decoded";

        private transient AvroCodec<FeedbackEvent> codec;
        private transient LongCounter decoded;

        @Override
        public void open(OpenContext openContext) {
            codec = new AvroCodec<>(FeedbackEvent.class);
            decoded = getRuntimeContext().getLongCounter(DECODED);
        }

        @Override
        public Long map(byte[] value) throws Exception {
            decoded.add(1);
            return codec.decode(value).getEventTime().toEpochMilli();
        }
    }
}
