package io.prefpipe.testing;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a main class in a JVM of its own, for tests that need a real second process: one to kill with SIGKILL, one
 * that holds a lock, one whose results must match this one's bit for bit. By default the child gets this JVM's
 * classpath (surefire's test classpath where surefire runs the test) and, when asked, this JVM's flags: the
 * add-opens, Avro's trusted packages and the temp folder that surefire set, but never an agent (a coverage or
 * debugging agent would open a second listener or write over the parent's files) and never the parent's heap size,
 * which each caller sets for what its child does.
 */
public final class JavaProcess {
    private JavaProcess() {}

    /** A builder for a JVM that runs {@code mainClass}. */
    public static Builder of(Class<?> mainClass) {
        return of(mainClass.getName());
    }

    /** A builder for a JVM that runs the main class named {@code mainClass}, e.g. one only the child's classpath has. */
    public static Builder of(String mainClass) {
        return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
    }

    /** This JVM's classpath: surefire's test classpath when surefire runs it, else {@code java.class.path}. */
    public static String currentClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** What the child JVM is started with; {@link #start()} may be called more than once. */
    public static final class Builder {
        private final String mainClass;
        private String classpath = currentClasspath();
        private boolean inheritFlags;
        private String maxHeap;
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path output;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** The child's classpath instead of this JVM's. */
        public Builder classpath(List<String> entries) {
            this.classpath = String.join(File.pathSeparator, entries);
            return this;
        }

        /** Passes this JVM's flags on, without its agents and its heap size. */
        public Builder inheritJvmFlags() {
            this.inheritFlags = true;
            return this;
        }

        /** The child's {@code -Xmx}, e.g. {@code "1g"}. */
        public Builder maxHeap(String size) {
            this.maxHeap = Objects.requireNonNull(size, "size");
            return this;
        }

        /** A system property of the child ({@code -Dkey=value}). */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Arguments of the main class, after any given before. */
        public Builder args(List<String> more) {
            arguments.addAll(more);
            return this;
        }

        /** Arguments of the main class, after any given before. */
        public Builder args(String... more) {
            return args(List.of(more));
        }

        /** Environment variables of the child, besides this process's. */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /**
         * Sends the child's stdout and stderr to {@code log}, where a test can read them after a kill; without it they
         * are the returned process's input stream, stderr merged into stdout.
         */
        public Builder outputTo(Path log) {
            this.output = Objects.requireNonNull(log, "log");
            return this;
        }

        /** The command line {@link #start()} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (inheritFlags) {
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agent") && !a.startsWith("-Xmx"))
                        .forEach(command::add);
            }
            if (maxHeap != null) {
                command.add("-Xmx" + maxHeap);
            }
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(arguments);
            return command;
        }

        public Process start() throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            if (output != null) {
                builder.redirectOutput(output.toFile());
            }
            return builder.start();
        }
    }
}
