package io.prefpipe.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Runs a command that prints to {@code System.out}, as the training, export and bench commands do, and keeps that. */
public final class StdoutCapture {
    /** A command's exit code and what it printed. */
    public record Run(int exit, String output) {}

    private StdoutCapture() {}

    public static Run run(IntSupplier command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int exit = command.getAsInt();
            return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
