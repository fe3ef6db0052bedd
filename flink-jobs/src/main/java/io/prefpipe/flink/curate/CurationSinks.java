package io.prefpipe.flink.curate;

import io.prefpipe.flink.kafka.AvroKafkaSerializationSchema;
import io.prefpipe.flink.parquet.SpecificParquetWriters;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.schema.PreferencePair;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The curation job's sinks: its pairs to Parquet in a snapshot folder, and its records exactly once to Kafka topics.
 * Public so that a benchmark measuring a leaner job beside the curation job writes its outputs the same way.
 */
public final class CurationSinks {
    private CurationSinks() {}

    /**
     * Pairs as Parquet part files straight into {@code folder} (no date buckets). Bulk formats roll on every
     * checkpoint; part files are renamed to their final, visible names only when that checkpoint completes.
     */
    public static FileSink<PreferencePair> parquet(Path folder) {
        return FileSink.forBulkFormat(folder, SpecificParquetWriters.zstd(PreferencePair.class))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("pairs")
                        .withPartSuffix(SnapshotFiles.PARQUET_SUFFIX)
                        .build())
                .build();
    }

    /**
     * Records of {@code type} as Avro to {@code topic}, keyed by {@code key}, in transactions that the checkpoints
     * commit.
     *
     * @param transactionalIdPrefix unique to this sink among all writers to the cluster
     * @param transactionTimeout the producer's transaction timeout; longer than the checkpoint interval
     */
    public static <T extends SpecificRecord> KafkaSink<T> exactlyOnce(String bootstrapServers, String topic,
            Class<T> type, SerializableFunction<T, String> key, String transactionalIdPrefix,
            Duration transactionTimeout) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new AvroKafkaSerializationSchema<>(topic, type, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()))
                // Records become visible only when the checkpoint commits the transaction, and the writer flushes
                // at every checkpoint; waiting a little for full batches costs no latency and saves the producer and
                // the broker most of their per-request work (a pair is over a kilobyte: 16 KB batches held ~12).
                .setProperty(ProducerConfig.LINGER_MS_CONFIG, "20")
                .setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024))
                .build();
    }
}
