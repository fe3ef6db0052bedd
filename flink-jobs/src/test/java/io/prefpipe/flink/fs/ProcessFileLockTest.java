package io.prefpipe.flink.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFileLockTest {
    @TempDir
    Path tmp;

    @Test
    void holds_sharedOnesShareTheLockAndAnExclusiveOneIsRefusedBesideThemUntilTheLastCloses() throws Exception {
        Path file = tmp.resolve("a/b.lock");
        ProcessFileLock first = ProcessFileLock.shared(file, () -> { });
        ProcessFileLock second = ProcessFileLock.shared(file, () -> { });

        assertThatThrownBy(() -> ProcessFileLock.exclusive(file, () -> { }))
                .isInstanceOfSatisfying(ProcessFileLock.HeldByThisProcessException.class,
                        e -> assertThat(e.heldShared()).isTrue())
                .hasMessage("this process holds the shared lock on " + file.toRealPath() + " already");
        first.close();
        first.close();
        assertThatThrownBy(() -> ProcessFileLock.exclusive(file, () -> { }))
                .as("the second shared hold is still there").isInstanceOf(IllegalStateException.class);
        second.close();

        try (ProcessFileLock alone = ProcessFileLock.exclusive(file, () -> { })) {
            assertThatThrownBy(() -> ProcessFileLock.shared(file, () -> { }))
                    .isInstanceOfSatisfying(ProcessFileLock.HeldByThisProcessException.class,
                            e -> assertThat(e.heldShared()).isFalse());
        }
    }

    /**
     * A hold that waits for another process blocks only holds of its own file: the process it waits for may itself be
     * waiting for this one to release another file.
     */
    @Test
    void exclusive_heldByAnotherProcess_waitsSayingSoWhileOtherFilesAreHeldAndReleased() throws Exception {
        Path file = tmp.resolve("cut.lock");
        CompletableFuture<ProcessFileLock> waiting;
        try (ProcessFileLockHolder.OtherProcess other = ProcessFileLockHolder.holding(file)) {
            CountDownLatch toldToWait = new CountDownLatch(1);
            waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return ProcessFileLock.exclusive(file, toldToWait::countDown);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(toldToWait.await(30, TimeUnit.SECONDS)).as("told it waits").isTrue();

            CompletableFuture<Void> otherFile = CompletableFuture.runAsync(() -> {
                try {
                    ProcessFileLock.exclusive(tmp.resolve("cache.lock"), () -> { }).close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            otherFile.get(30, TimeUnit.SECONDS);
            assertThat(waiting).as("still waiting while the other process holds the file").isNotDone();
        }
        waiting.get(1, TimeUnit.MINUTES).close();
    }
}
