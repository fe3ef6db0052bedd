package io.prefpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProcessTest {

    @Test
    void runsTheMainClassWithItsArgumentsEnvironmentAndHeap() throws Exception {
        Process process = JavaProcess.of(EchoMain.class).maxHeap("48m").args("a", "b").args(List.of("c"))
                .environment(Map.of("PREFPIPE_TEST_VALUE", "42")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("args a,b,c", "env 42", "to stderr");
        long maxHeapMb = Long.parseLong(output.lines().filter(l -> l.startsWith("maxHeapMb ")).findFirst()
                .orElseThrow().substring("maxHeapMb ".length()));
        assertThat(maxHeapMb).isBetween(30L, 48L);
    }

    @Test
    void runsAMainClassGivenByName_withSystemProperties() throws Exception {
        Process process = JavaProcess.of(EchoMain.class.getName()).systemProperty("prefpipe.test.flag", "on")
                .args("n").start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(output).contains("args n", "flag on");
    }

    @Test
    void writesStdoutAndStderrToTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("child.log");
        Process process = JavaProcess.of(EchoMain.class).args("x").outputTo(log).start();

        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(log)).contains("args x", "to stderr");
    }

    @Test
    void passesThisJvmsFlagsOnButNotItsAgentsOrHeap() {
        List<String> inherited = JavaProcess.of(EchoMain.class).inheritJvmFlags().maxHeap("64m").command();
        List<String> bare = JavaProcess.of(EchoMain.class).command();

        assertThat(inherited).filteredOn(a -> a.startsWith("-Xmx")).containsExactly("-Xmx64m");
        assertThat(inherited).noneMatch(a -> a.startsWith("-javaagent") || a.startsWith("-agent"));
        // surefire gives this JVM the project's flags (argLine), so some must have come through
        assertThat(inherited.size()).isGreaterThan(bare.size() + 1);
        assertThat(bare).endsWith("-cp", JavaProcess.currentClasspath(), EchoMain.class.getName());
    }

    @Test
    void aClasspathOfItsOwnReplacesThisJvms() {
        assertThat(JavaProcess.of(EchoMain.class).classpath(List.of("/a.jar", "/b")).command())
                .containsSequence("-cp", "/a.jar" + java.io.File.pathSeparator + "/b");
    }
}
