package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopLockTest {
    @TempDir
    Path tmp;

    @Test
    void acquire_heldByAnotherLoopInThisJvm_refusesNamingTheFolderAndTheHolderAndKeepsTheOsLock() throws Exception {
        Path dir = tmp.resolve("loop");
        LoopLock held = LoopLock.acquire(dir);
        try {
            assertThatThrownBy(() -> LoopLock.acquire(dir)).isInstanceOf(LoopRefusedException.class)
                    .hasMessageContaining("the loop folder " + dir + " is in use by pid "
                            + ProcessHandle.current().pid() + " on host ")
                    .hasMessageContaining(" since ")
                    .hasMessageContaining("(this process)")
                    .hasMessageContaining(LoopLock.FILE_NAME);
            // the same folder by another path
            assertThatThrownBy(() -> LoopLock.acquire(dir.resolve("..").resolve("loop")))
                    .isInstanceOf(LoopRefusedException.class);
            // the refused attempts did not release the OS lock: another process is refused too
            assertThat(takeInAnotherProcess(dir)).startsWith("refused: the loop folder " + dir + " is in use by pid "
                    + ProcessHandle.current().pid() + " on host ");
        } finally {
            held.close();
        }
        // released: it can be taken again
        LoopLock.acquire(dir).close();
    }

    @Test
    void acquire_lockFileLeftByACrashedProcess_doesNotBlockAndNamesTheNewHolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("loop"));
        Files.writeString(dir.resolve(LoopLock.FILE_NAME), "pid 999999999 on host gone since 2026-01-01T00:00:00Z\n");

        LoopLock lock = LoopLock.acquire(dir);
        try {
            assertThat(Files.readString(dir.resolve(LoopLock.FILE_NAME)))
                    .startsWith("pid " + ProcessHandle.current().pid() + " on host ").doesNotContain("999999999");
        } finally {
            lock.close();
        }
    }

    @Test
    void acquire_heldByAnotherProcess_refusesNamingThatProcessUntilItDies() throws Exception {
        Path dir = tmp.resolve("loop");
        Process holder = holder(dir);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the holder's first line").isEqualTo("locked");

            assertThatThrownBy(() -> LoopLock.acquire(dir)).isInstanceOf(LoopRefusedException.class)
                    .hasMessageContaining("is in use by pid " + holder.pid() + " on host ");
        } finally {
            // a crash: the OS releases the lock, the file stays
            holder.destroyForcibly();
            assertThat(holder.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(Files.readString(dir.resolve(LoopLock.FILE_NAME))).startsWith("pid " + holder.pid() + " ");
        LoopLock lock = LoopLock.acquire(dir);
        try {
            assertThat(Files.readString(dir.resolve(LoopLock.FILE_NAME)))
                    .startsWith("pid " + ProcessHandle.current().pid() + " ");
        } finally {
            lock.close();
        }
    }

    /** {@link LoopLockHolder} on {@code dir}, in a JVM of its own. */
    private static Process holder(Path dir) throws IOException {
        return JavaProcess.of(LoopLockHolder.class).maxHeap("64m").args(dir.toString()).start();
    }

    /** What {@link LoopLockHolder} says when it tries to take the lock of {@code dir}; it lets go of it at once. */
    private static String takeInAnotherProcess(Path dir) throws Exception {
        Process p = holder(dir);
        try {
            p.getOutputStream().close();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            return line;
        } finally {
            p.destroyForcibly();
        }
    }
}
