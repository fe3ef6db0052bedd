package io.prefpipe.flink.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.schema.PreferencePair;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.local.LocalDataOutputStream;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.util.InstantiationUtil;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecificParquetWritersTest {
    @TempDir
    Path tmp;

    @Test
    void zstd_writesRecordsThatReadBackEqual() throws Exception {
        Path file = tmp.resolve("pairs.parquet");
        List<PreferencePair> pairs = TestPairs.pairs(3);

        TestPairs.write(file, pairs);

        List<PreferencePair> read = new ArrayList<>();
        try (ParquetReader<PreferencePair> reader = AvroParquetReader.<PreferencePair>builder(new LocalInputFile(file))
                .withDataModel(SpecificData.getForClass(PreferencePair.class))
                .build()) {
            for (PreferencePair p = reader.read(); p != null; p = reader.read()) {
                read.add(p);
            }
        }
        assertThat(read).containsExactlyElementsOf(pairs);
        assertThat(ParquetFooters.rowCount(new org.apache.flink.core.fs.Path(file.toUri()))).isEqualTo(3);
    }

    @Test
    void zstd_compressesEveryColumnWithZstd() throws Exception {
        Path file = tmp.resolve("pairs.parquet");

        TestPairs.write(file, TestPairs.pairs(1));

        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(reader.getFooter().getBlocks()).isNotEmpty();
            assertThat(reader.getFooter().getBlocks().get(0).getColumns())
                    .extracting(ColumnChunkMetaData::getCodec)
                    .containsOnly(CompressionCodecName.ZSTD);
        }
    }

    @Test
    void zstd_encodesNoColumnWithADictionary() throws Exception {
        Path file = tmp.resolve("pairs.parquet");

        TestPairs.write(file, TestPairs.pairs(50));

        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(reader.getFooter().getBlocks().get(0).getColumns()).allSatisfy(column -> {
                assertThat(column.hasDictionaryPage()).as(column.getPath().toDotString()).isFalse();
                assertThat(column.getEncodings()).as(column.getPath().toDotString())
                        .doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
            });
        }
    }

    @Test
    void zstd_factorySurvivesJavaSerialization() throws Exception {
        // Flink ships the factory to its tasks by Java serialization.
        ParquetWriterFactory<PreferencePair> copy = InstantiationUtil.clone(SpecificParquetWriters.zstd(PreferencePair.class));
        Path file = tmp.resolve("copy.parquet");
        try (LocalDataOutputStream out = new LocalDataOutputStream(file.toFile())) {
            BulkWriter<PreferencePair> writer = copy.create(out);
            writer.addElement(TestPairs.pair(7));
            writer.finish();
        }
        assertThat(ParquetFooters.rowCount(new org.apache.flink.core.fs.Path(file.toUri()))).isEqualTo(1);
    }

    @Test
    void zstd_compressesAtLevelOne() throws Exception {
        CachedCodecs.clear();
        TestPairs.write(tmp.resolve("level.parquet"), TestPairs.pairs(2));

        assertThat(CachedCodecs.configurations()).isNotEmpty()
                .allSatisfy(conf -> assertThat(conf.get("parquet.compression.codec.zstd.level")).isEqualTo("1"));
    }

    @Test
    void zstd_cachedCodecDoesNotHoldTheClassLoaderOfTheTaskThatCreatedIt() throws Exception {
        // A task runs with the job's user-code class loader as its context loader, closed when the job ends.
        CachedCodecs.clear();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader jobLoader = new URLClassLoader(new URL[0], previous)) {
            thread.setContextClassLoader(jobLoader);
            TestPairs.write(tmp.resolve("job.parquet"), TestPairs.pairs(1));
            thread.setContextClassLoader(previous);

            assertThat(CachedCodecs.configurations()).isNotEmpty()
                    .allSatisfy(conf -> assertThat(conf.getClassLoader()).isNotSameAs(jobLoader));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Reads Parquet's static codec cache, which only a subclass of its factory can reach. */
    private static final class CachedCodecs extends CodecFactory {
        private CachedCodecs() {
            super(new Configuration(), 0);
        }

        static void clear() {
            CODEC_BY_NAME.clear();
        }

        static List<Configuration> configurations() {
            return CODEC_BY_NAME.values().stream().filter(Configurable.class::isInstance)
                    .map(codec -> ((Configurable) codec).getConf()).toList();
        }
    }
}
