package io.prefpipe.flink.parquet;

import io.prefpipe.schema.PreferencePair;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.local.LocalDataOutputStream;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;

/** Preference pairs and real Parquet files of them, for tests. */
public final class TestPairs {
    private TestPairs() {}

    /** A pair with every field set; nullable fields alternate between null and a value. */
    public static PreferencePair pair(int i) {
        return PreferencePair.newBuilder()
                .setPairId("pair-" + i)
                .setComparisonId("c" + i)
                .setPrompt("prompt " + i)
                .setChosenId("a")
                .setChosen("chosen text " + i)
                .setChosenPolicyVersion(i % 2 == 0 ? null : "policy-1")
                .setRejectedId("b")
                .setRejected("rejected text " + i)
                .setRejectedPolicyVersion(null)
                .setPChosen(0.75)
                .setVoteCount(4)
                .setAgreement(0.75)
                .setAggregator("mv")
                .setSourceEventIds(List.of("e1-" + i, "e2-" + i))
                .setLastEventTime(Instant.parse("2025-01-01T00:00:00.123Z").plusSeconds(i))
                .build();
    }

    public static List<PreferencePair> pairs(int count) {
        return IntStream.range(0, count).mapToObj(TestPairs::pair).toList();
    }

    /** Writes {@code pairs} into {@code file} the way the file sink does. */
    public static void write(Path file, List<PreferencePair> pairs) throws Exception {
        try (LocalDataOutputStream out = new LocalDataOutputStream(file.toFile())) {
            BulkWriter<PreferencePair> writer = SpecificParquetWriters.zstd(PreferencePair.class).create(out);
            for (PreferencePair p : pairs) {
                writer.addElement(p);
            }
            writer.finish();
        }
    }

    /** Every pair in a local Parquet file. */
    public static List<PreferencePair> read(Path file) throws Exception {
        return read(new org.apache.flink.core.fs.Path(file.toUri()));
    }

    /** Every pair in a Parquet file on any Flink file system, read through Flink's API. */
    public static List<PreferencePair> read(org.apache.flink.core.fs.Path file) throws Exception {
        List<PreferencePair> out = new ArrayList<>();
        try (ParquetReader<PreferencePair> reader = AvroParquetReader
                .<PreferencePair>builder(FlinkInputFile.of(file), new PlainParquetConfiguration())
                .withDataModel(SpecificData.getForClass(PreferencePair.class))
                .build()) {
            for (PreferencePair p = reader.read(); p != null; p = reader.read()) {
                out.add(p);
            }
        }
        return out;
    }
}
