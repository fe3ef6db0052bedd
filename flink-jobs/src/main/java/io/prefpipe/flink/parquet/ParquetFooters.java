package io.prefpipe.flink.parquet;

import java.io.IOException;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;

/** Facts read from a Parquet file's footer alone, without reading its data pages. */
public final class ParquetFooters {
    private ParquetFooters() {}

    /** The number of records in the file, as its footer states; on any Flink file system. */
    public static long rowCount(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(FlinkInputFile.of(file))) {
            return reader.getRecordCount();
        }
    }
}
