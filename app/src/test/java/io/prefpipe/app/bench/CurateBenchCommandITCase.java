package io.prefpipe.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.Main;
import io.prefpipe.app.PrefpipeCommand;
import io.prefpipe.app.StdoutCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code prefpipe bench curate} on a small scale, with its own embedded broker, every phase included: the figures
 * vary, so this checks that each phase ran over every judgement and that the report adds up.
 */
class CurateBenchCommandITCase {
    @Test
    void benchCurate_smallRun_measuresEveryPhaseAndTheLatencyAndReconciles() throws Exception {
        StdoutCapture.Run run = StdoutCapture.run(() -> new CommandLine(new PrefpipeCommand()).execute("bench",
                "curate", "--judgements", "4000", "--warmup-judgements", "1000", "--latency-seconds", "2",
                "--latency-rate", "500", "--checkpoint-interval-ms", "300", "-D", "state.backend.type=rocksdb"));
        int code = run.exit();
        String out = run.output();

        assertThat(code).as(out).isZero();
        assertThat(out).contains("Flink settings {state.backend.type=rocksdb}");
        assertThat(out).contains("warm-up: 1,000 judgements produced, consumed and curated",
                "produced 4,000 judgements", "reconciled");
        assertThat(out).containsPattern("raw consumer\\s+4,000\\s").containsPattern("Flink read floor\\s+4,000\\s")
                .containsPattern("curation job\\s+4,000\\s").containsPattern("local ceiling\\s+4,000\\s");
        Matcher fates = Pattern.compile("curation: 4,000 in = ([\\d,]+) curated \\+ ([\\d,]+) filtered \\+ 0"
                + " dead-lettered \\(reconciled\\)").matcher(out);
        assertThat(fates.find()).as(out).isTrue();
        assertThat(number(fates.group(1)) + number(fates.group(2))).isEqualTo(4_000);
        Matcher pairs = Pattern.compile("dead-lettered \\(reconciled\\), ([\\d,]+) pairs").matcher(out);
        assertThat(pairs.find()).as(out).isTrue();
        // the ceiling decides the same comparisons by the same votes, so it writes the job's pairs
        assertThat(out).containsPattern("partition-local ceiling / raw consumer: \\d+\\.\\d\\d; the curation job"
                + " reaches \\d+\\.\\d\\d of it \\(ceiling: 4,000 in, " + pairs.group(1) + " pairs against the"
                + " job's " + pairs.group(1) + ", [\\d,]+ late, 0 invalid, 0 duplicates");
        assertThat(out).containsPattern("curation / raw consumer: \\d+\\.\\d\\d \\(target >= 0\\.5: (met|NOT met)\\)")
                .containsPattern("event -> committed file at 500 judgements/s: p50 \\d+ ms, p99 \\d+ ms")
                .containsPattern("without the JIT compilers' time the job took \\d+\\.\\d CPU-µs per judgement: at"
                        + " most [\\d,]+ judgements/s on \\d+ cores")
                .containsPattern("Flink read floor / raw consumer: \\d+\\.\\d\\d; over the floor the curation graph"
                        + " takes -?\\d+\\.\\d CPU-µs per judgement")
                .containsPattern("JVM: JIT compilers\\s+[\\d.]+ s\\s+[\\d.]+ s\\s+[\\d.]+ s\\s+[\\d.]+ s")
                .containsPattern("ceiling: its one chained task\\s+0\\.00 s\\s+0\\.00 s\\s+0\\.00 s\\s+[\\d.]+ s");
    }

    @Test
    void benchCurate_aFlinkSettingTheJobSetsItself_isRefusedBeforeAnythingRuns() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute("bench", "curate", "--bootstrap", "127.0.0.1:1", "-D",
                "execution.checkpointing.interval=1s");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Flink setting 'execution.checkpointing.interval' is one the curation job"
                + " sets itself");
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
