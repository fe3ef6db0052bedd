package io.prefpipe.flink.curate;

import io.prefpipe.testing.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Starts {@link CurationProcessMain} in a JVM of its own, with this test JVM's flags and classpath. */
final class CurationProcesses {
    private CurationProcesses() {}

    /** Starts the process, its output (stdout and stderr) going to {@code log}. */
    static Process start(Path log, List<String> options, String... extra) throws IOException {
        return JavaProcess.of(CurationProcessMain.class).inheritJvmFlags().maxHeap("768m").args(options).args(extra)
                .outputTo(log).start();
    }

    /** The process's output so far, for assertion messages. */
    static String log(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }
}
