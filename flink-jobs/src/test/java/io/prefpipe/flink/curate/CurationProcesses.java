package io.prefpipe.flink.curate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link CurationProcessMain} in a JVM of its own, with this test JVM's flags and classpath. */
final class CurationProcesses {
    private CurationProcesses() {}

    /** Starts the process, its output (stdout and stderr) going to {@code log}. */
    static Process start(Path log, List<String> options, String... extra) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the flags surefire gave this JVM (add-opens, Avro's serializable packages, the temp folder), not agents
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-Xmx"))
                .forEach(command::add);
        command.add("-Xmx768m");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(CurationProcessMain.class.getName());
        command.addAll(options);
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The process's output so far, for assertion messages. */
    static String log(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }
}
