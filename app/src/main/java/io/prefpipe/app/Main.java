package io.prefpipe.app;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code prefpipe} launcher. */
public final class Main {
    /** Set (to anything) to see the stack trace of a refused input too. */
    static final String STACKTRACE_VARIABLE = "PREFPIPE_STACKTRACE";

    private Main() {}

    public static void main(String[] args) {
        int code = commandLine(System.getenv(STACKTRACE_VARIABLE) != null).execute(args);
        // Flink and Kafka leave non-daemon threads behind; the process must end when the command does.
        System.exit(code);
    }

    /** The launcher's command line; refused inputs end in one line naming the reason unless {@code stackTraces}. */
    static CommandLine commandLine(boolean stackTraces) {
        CommandLine cli = new CommandLine(new PrefpipeCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        if (!stackTraces) {
            cli.setExecutionExceptionHandler(new RefusedInput());
        }
        return cli;
    }

    /**
     * A command that refuses a value (an {@link IllegalArgumentException}, which our checks throw naming the field and
     * the reason) or cannot read or write a file it was given (an {@link IOException}) says so in one line; anything
     * else is a fault and keeps its stack trace.
     */
    static final class RefusedInput implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult)
                throws Exception {
            if (!(e instanceof IllegalArgumentException || e instanceof IOException)) {
                throw e;
            }
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(e)
                    + " (" + STACKTRACE_VARIABLE + "=1 shows the stack trace)");
            return command.getCommandSpec().exitCodeOnExecutionException();
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
