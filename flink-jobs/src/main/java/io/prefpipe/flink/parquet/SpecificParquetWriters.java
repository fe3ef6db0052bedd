package io.prefpipe.flink.parquet;

import java.io.IOException;
import java.util.Objects;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Bulk writers of generated Avro records to Parquet, for Flink's {@code FileSink}.
 *
 * <p>Flink's own {@code AvroParquetWriters.forSpecificRecord} writes uncompressed and uses {@code SpecificData.get()},
 * which has no conversions for logical types, so a {@code timestamp-millis} field held as an {@code Instant} cannot be
 * written. These writers use the record class's own model, which carries its conversions. Columns are written without
 * dictionary encoding (see {@link SpecificRecordBuilder#createWriter}).
 */
public final class SpecificParquetWriters {
    private SpecificParquetWriters() {}

    /** A factory of Parquet writers of {@code type}, compressed with ZSTD. */
    public static <T extends SpecificRecord> ParquetWriterFactory<T> zstd(Class<T> type) {
        return new ParquetWriterFactory<>(new SpecificRecordBuilder<>(type, CompressionCodecName.ZSTD));
    }

    /**
     * The writers' settings: no Hadoop Configuration, which would parse its XML defaults for every part file, and
     * ZSTD at level 1. Level 3, Parquet's default, spent ~40% of the curation task's Parquet time in its matcher
     * ({@code ZSTD_compressBlock_doubleFast}); level 1 finds most of the same repeats in these texts for about half.
     */
    private static PlainParquetConfiguration configuration() {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setInt("parquet.compression.codec.zstd.level", 1);
        return conf;
    }

    /** Serializable recipe for one writer; Flink ships it to the tasks and calls it once per part file. */
    private static final class SpecificRecordBuilder<T extends SpecificRecord> implements ParquetBuilder<T> {
        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private final CompressionCodecName codec;

        SpecificRecordBuilder(Class<T> type, CompressionCodecName codec) {
            this.type = Objects.requireNonNull(type, "type");
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /**
         * Builds the writer with Parquet's own class loader as the thread's context class loader. Parquet keeps each
         * codec it creates in a static cache with the Hadoop Configuration it was created with, and that
         * configuration keeps the context class loader of the moment: in a task, the job's user-code class loader,
         * which Flink closes when the job ends. A later job in the same JVM (a restart in process, as the loop does)
         * then fails its checkpoint with "Trying to access closed classloader" when the cached codec reads its
         * settings. The cache lives as long as Parquet's classes, so its configurations must hold their loader.
         */
        @Override
        public ParquetWriter<T> createWriter(OutputFile out) throws IOException {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(CodecFactory.class.getClassLoader());
            try {
                return build(out);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        private ParquetWriter<T> build(OutputFile out) throws IOException {
            SpecificData model = SpecificData.getForClass(type);
            return AvroParquetWriter.<T>builder(out)
                    .withSchema(model.getSchema(type))
                    .withDataModel(model)
                    .withCompressionCodec(codec)
                    .withConf(configuration())
                    // Texts and ids are nearly all distinct: a dictionary only costs a hash per value until it
                    // overflows and the writer falls back to plain encoding; ZSTD finds the repeats instead.
                    .withDictionaryEncoding(false)
                    .build();
        }
    }
}
