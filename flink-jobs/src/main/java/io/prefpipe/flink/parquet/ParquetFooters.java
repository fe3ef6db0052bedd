package io.prefpipe.flink.parquet;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/** Facts read from a Parquet file's footer alone, without reading its data pages. */
public final class ParquetFooters {
    private ParquetFooters() {}

    /** The number of records in the file, as its footer states. */
    public static long rowCount(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getRecordCount();
        }
    }
}
