package io.prefpipe.flink.fs;

import io.prefpipe.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Holds the exclusive {@link ProcessFileLock} on {@code args[0]} in a JVM of its own, for tests of what waits for
 * another process: prints {@code held}, and holds it until its standard input ends or it is killed.
 */
public final class ProcessFileLockHolder {
    private ProcessFileLockHolder() {}

    /** Another JVM holding the lock on a file; closing it ends that JVM's hold, and the JVM. */
    public static final class OtherProcess implements AutoCloseable {
        private final Process process;

        private OtherProcess(Process process) {
            this.process = process;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the process holding the lock did not end when told to");
            }
        }
    }

    /** Starts a JVM that holds the exclusive lock on {@code file}, returning once it holds it. */
    public static OtherProcess holding(Path file) throws IOException {
        Process process = JavaProcess.of(ProcessFileLockHolder.class).maxHeap("64m").args(file.toString()).start();
        String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"held".equals(first)) {
            process.destroyForcibly();
            throw new IllegalStateException("the process meant to hold " + file + " said " + first + " first");
        }
        return new OtherProcess(process);
    }

    public static void main(String[] args) throws Exception {
        try (ProcessFileLock lock = ProcessFileLock.exclusive(Path.of(args[0]), () -> { })) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() != -1) {
                // waits for the test to close the pipe (or to kill this process)
            }
        }
    }
}
