package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.testing.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded training run gives the same parameters, bit for bit, in two processes whose native memory is laid out
 * differently: one takes an odd amount of native memory first and runs with the launcher's glibc malloc settings
 * ({@code GLIBC_TUNABLES}), the other with neither. Within one process the trainers' tests show it already; across
 * processes buffer addresses differ, and a kernel whose path depends on a buffer's alignment would break it. MKL's
 * does unless {@code MKL_CBWR} pins it, which the launcher and the build set: with it removed from the second process's
 * environment this test failed (other trained digests), with it the digests agree.
 */
class CrossProcessDeterminismTest {
    private static final String LAUNCHER_MALLOC = "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0"
            + ":glibc.malloc.trim_threshold=68719476736:glibc.malloc.hugetlb=1";

    @Test
    void seededTraining_inTwoProcessesWithDifferentMemoryLayouts_givesIdenticalParameters() throws Exception {
        List<String> first = run(0, Map.of());
        List<String> second = run(12_345, Map.of("GLIBC_TUNABLES", LAUNCHER_MALLOC));

        assertThat(first.get(0)).as("the same initial parameters").isEqualTo(second.get(0));
        assertThat(first.get(1)).as("training changed them").startsWith("trained ")
                .isNotEqualTo("trained " + first.get(0).substring("initial ".length()));
        assertThat(second.get(1)).as("the same trained parameters, bit for bit").isEqualTo(first.get(1));
    }

    /** {@link TrainingRunMain} in a JVM of its own; its digest lines. */
    private static List<String> run(int paddingBytes, Map<String, String> environment) throws Exception {
        Process process = JavaProcess.of(TrainingRunMain.class).inheritJvmFlags().maxHeap("3g")
                .args(Integer.toString(paddingBytes)).environment(environment).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("training process output:%n%s", output).isZero();
        List<String> digests = output.lines().filter(l -> l.startsWith("initial ") || l.startsWith("trained "))
                .toList();
        assertThat(digests).as("training process output:%n%s", output).hasSize(2);
        return digests;
    }
}
