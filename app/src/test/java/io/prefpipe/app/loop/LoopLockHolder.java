package io.prefpipe.app.loop;

import java.nio.file.Path;

/**
 * Takes the lock of the loop folder {@code args[0]} in a JVM of its own, for {@link LoopLockTest}: prints {@code locked}
 * and holds it until its standard input ends or it is killed, or prints {@code refused: <message>} and exits.
 */
public final class LoopLockHolder {
    private LoopLockHolder() {}

    public static void main(String[] args) throws Exception {
        LoopLock lock;
        try {
            lock = LoopLock.acquire(Path.of(args[0]));
        } catch (LoopRefusedException e) {
            System.out.println("refused: " + e.getMessage());
            return;
        }
        try (lock) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // waits for the test to close the pipe (or to kill this process)
            }
        }
    }
}
