package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import io.prefpipe.testing.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefpipe curate --savepoint-dir}, in processes of its own: SIGTERM stops the unbounded job with a savepoint,
 * and a second run restores it on RocksDB at another parallelism, which a retained checkpoint of the heap backend
 * could not do, going on with every event counted once.
 */
class CurateSavepointITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Pattern EVENTS_IN = Pattern.compile("(\\d+) events in");
    private static final Pattern FINAL_COUNTS = Pattern.compile(
            "waiting at start 0 \\+ events in (\\d+) = curated \\d+ \\+ filtered \\d+ \\+ dead-lettered \\d+"
                    + " \\+ waiting in the savepoint \\d+  \\[reconciled]; (\\d+) pairs");
    private static final Pattern SAVEPOINT = Pattern.compile("^savepoint (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void sigterm_stopsWithASavepoint_whichResumesOnRocksDbCountingEveryEventOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        String topic = "feedback-" + run;
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<byte[]> messages = new SyntheticFeedback(SyntheticFeedbackConfig.builder(5).setComparisons(400)
                .setJudgements(1_600).setAnnotators(10).setRedeliveryRate(0.02).setMalformedRate(0.01).build())
                .stream().map(codec::encode).toList();
        int half = messages.size() / 2;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 2, (short) 1);
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), topic, messages.subList(0, half));
        Path savepoints = tmp.resolve("savepoints");
        List<String> curate = List.of("curate", "--bootstrap", KAFKA.bootstrapServers(), "--topic", topic,
                "--json-topic", "feedback.json-" + run, "--dlq-topic", "dlq-" + run, "--pairs-topic", "pairs-" + run,
                "--annotators-topic", "annotators-" + run, "--group-id", "curate-" + run,
                "--out", tmp.resolve("out").toString(), "--snapshot-id", "live",
                "--checkpoint-dir", tmp.resolve("checkpoints").toString(), "--savepoint-dir", savepoints.toString());

        Path firstLog = tmp.resolve("first.log");
        String first = stopWithSigterm(start(firstLog, curate), firstLog, half);
        Matcher firstCounts = FINAL_COUNTS.matcher(first);
        assertThat(firstCounts.find()).as(first).isTrue();
        assertThat(Long.parseLong(firstCounts.group(1))).isEqualTo(half);
        Matcher savepoint = SAVEPOINT.matcher(first);
        assertThat(savepoint.find()).as(first).isTrue();
        assertThat(Path.of(savepoint.group(1)).resolve("_metadata")).isRegularFile();

        KafkaTestTopics.produce(KAFKA.bootstrapServers(), topic, messages.subList(half, messages.size()));
        List<String> resumed = new ArrayList<>(curate);
        resumed.addAll(List.of("--resume-from", savepoint.group(1), "--parallelism", "2",
                "-D", "state.backend.type=rocksdb"));
        Path secondLog = tmp.resolve("second.log");
        String second = stopWithSigterm(start(secondLog, resumed), secondLog, messages.size());

        Matcher counts = FINAL_COUNTS.matcher(second);
        assertThat(counts.find()).as(second).isTrue();
        assertThat(Long.parseLong(counts.group(1))).as("the first run's counts restored, every event once")
                .isEqualTo(messages.size());
        long pairs = Long.parseLong(counts.group(2));
        assertThat(pairs).isGreaterThan(Long.parseLong(firstCounts.group(2)));
        assertThat(SnapshotFiles.committed(tmp.resolve("out").resolve("live")).stream()
                .mapToLong(SnapshotFile::rows).sum()).as("each counted pair committed once").isEqualTo(pairs);
    }

    /** Waits until the run has read {@code events}, sends SIGTERM and returns its whole output once it has ended. */
    private static String stopWithSigterm(Process process, Path log, long events) throws Exception {
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (lastEventsIn(log) < events) {
                assertThat(process.isAlive()).as("the run is alive; output:%n%s", read(log)).isTrue();
                assertThat(System.nanoTime()).as("waiting for %d events in; output:%n%s", events, read(log))
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            process.destroy();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("ended after SIGTERM").isTrue();
            String output = read(log);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("SIGTERM: stopping the job with a savepoint");
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    private static long lastEventsIn(Path log) throws IOException {
        Matcher m = EVENTS_IN.matcher(read(log));
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    /** Starts {@code prefpipe} with {@code args} in a JVM of its own (this JVM's flags and classpath). */
    private static Process start(Path log, List<String> args) throws IOException {
        return JavaProcess.of(Main.class).inheritJvmFlags().maxHeap("1g").args(args).outputTo(log).start();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
