package io.prefpipe.app;

import picocli.CommandLine;

/** Entry point of the {@code prefpipe} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new CommandLine(new PrefpipeCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        // Flink and Kafka leave non-daemon threads behind; the process must end when the command does.
        System.exit(code);
    }
}
