package io.prefpipe.app;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code prefpipe} launcher. */
public final class Main {
    /** Set (to anything) to see the stack trace of a refused input too. */
    static final String STACKTRACE_VARIABLE = "PREFPIPE_STACKTRACE";

    private static final int HELP_WIDTH = 124;

    private Main() {}

    public static void main(String[] args) {
        int code = commandLine(System.getenv(STACKTRACE_VARIABLE) != null).execute(args);
        // Flink and Kafka leave non-daemon threads behind; the process must end when the command does.
        System.exit(code);
    }

    /** The launcher's command line; refused inputs end in one line naming the reason unless {@code stackTraces}. */
    public static CommandLine commandLine(boolean stackTraces) {
        CommandLine cli = new CommandLine(new PrefpipeCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                // our descriptions are written in lines of up to 120 characters; at picocli's default 80 each of them
                // wrapped into a long and a short line
                .setUsageHelpWidth(HELP_WIDTH);
        if (!stackTraces) {
            cli.setExecutionExceptionHandler(new RefusedInput());
        }
        return cli;
    }

    /**
     * A command that refuses a value (an {@link IllegalArgumentException}, which our checks throw naming the field and
     * the reason), cannot read or write a file it was given (an {@link IOException}) or gets no answer from the Kafka
     * it was pointed at (a Kafka {@link TimeoutException} anywhere in the causes) says so in one line; anything else
     * is a fault and keeps its stack trace.
     */
    static final class RefusedInput implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult)
                throws Exception {
            boolean noBroker = causes(e).anyMatch(TimeoutException.class::isInstance);
            if (!(e instanceof IllegalArgumentException || e instanceof IOException || noBroker)) {
                throw e;
            }
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(e)
                    + (noBroker ? "; is a broker running there? (`prefpipe broker` starts one)" : "")
                    + " (" + STACKTRACE_VARIABLE + "=1 shows the stack trace)");
            return command.getCommandSpec().exitCodeOnExecutionException();
        }

        private static Stream<Throwable> causes(Throwable e) {
            return Stream.iterate(e, Objects::nonNull, c -> c.getCause() == c ? null : c.getCause());
        }

        static String describe(Throwable e) {
            StringBuilder text = new StringBuilder(message(e));
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                String m = message(cause);
                if (!text.toString().contains(m)) {
                    text.append("; ").append(m);
                }
            }
            return text.toString();
        }

        private static String message(Throwable e) {
            if (e instanceof NoSuchFileException missing) {
                return "no such file or folder: " + missing.getFile()
                        + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
            }
            if (e instanceof FileSystemException fs && fs.getReason() == null) {
                return e.getClass().getSimpleName() + ": " + fs.getFile();
            }
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
    }
}
