package io.prefpipe.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prefpipe.e2e.JsonFeedbackScenario.KeyedLine;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON feedback from Kafka clients prefpipe did not write ({@code kcat}, a Node.js kafkajs script) through the
 * embedded KRaft broker into the curation job. Each external client runs where it is installed and is skipped with
 * the reason elsewhere; the same scenario always runs with a plain Java producer, so it is never only skipped.
 */
class JsonClientsITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(2);
    private static final Path NODE_SOURCES = Path.of("src/test/node");
    private static final Path NODE_WORK = Path.of("target/kafkajs");

    @TempDir Path out;

    @Test
    void javaProducer_jsonFeedback_isCuratedWithTheAvroFeedback() throws Exception {
        JsonFeedbackScenario.runAndVerify(KAFKA.bootstrapServers(), out, JsonClientsITCase::sendWithJava);
    }

    @Test
    void kcat_jsonFeedback_isCuratedWithTheAvroFeedback() throws Exception {
        assumeTrue(onPath("kcat"), "kcat is not on the PATH (Debian: apt-get install kcat); the Java producer test "
                + "runs the same scenario");
        JsonFeedbackScenario.runAndVerify(KAFKA.bootstrapServers(), out, (bootstrap, topic, lines) ->
                run(List.of("kcat", "-P", "-b", bootstrap, "-t", topic, "-K", "\t", "-X", "acks=all",
                        "-X", "enable.idempotence=true"), stdin(lines), Path.of(".")));
    }

    @Test
    void kafkajs_jsonFeedback_isCuratedWithTheAvroFeedback() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not on the PATH; the Java producer test runs "
                + "the same scenario");
        Path script = installKafkajs();
        JsonFeedbackScenario.runAndVerify(KAFKA.bootstrapServers(), out, (bootstrap, topic, lines) ->
                run(List.of("node", script.getFileName().toString(), bootstrap, topic), stdin(lines),
                        script.getParent()));
    }

    private static void sendWithJava(String bootstrap, String topic, List<KeyedLine> lines) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (KeyedLine line : lines) {
                acks.add(producer.send(new ProducerRecord<>(topic, line.key(), line.json())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    /** The lines as "key TAB json" lines, the input both kcat and the Node script read. */
    private static String stdin(List<KeyedLine> lines) {
        StringBuilder b = new StringBuilder();
        for (KeyedLine l : lines) {
            assertThat(l.key() + l.json()).as("a line of the client's input").doesNotContain("\t", "\n", "\r");
            b.append(l.key()).append('\t').append(l.json()).append('\n');
        }
        return b.toString();
    }

    /** Copies the script and its package.json under target/ and installs kafkajs there with npm, once. */
    private static Path installKafkajs() throws Exception {
        Files.createDirectories(NODE_WORK);
        for (String name : List.of("package.json", "send-feedback.js")) {
            Files.copy(NODE_SOURCES.resolve(name), NODE_WORK.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(NODE_WORK.resolve("node_modules/kafkajs"))) {
            Result npm = start(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), "",
                    NODE_WORK);
            assumeTrue(npm.exitCode() == 0, "npm could not install kafkajs (no registry?): " + npm.output());
        }
        return NODE_WORK.resolve("send-feedback.js");
    }

    private static void run(List<String> command, String input, Path dir) throws Exception {
        Result r = start(command, input, dir);
        assertThat(r.exitCode()).as("%s exited with: %s", command.get(0), r.output()).isZero();
    }

    private record Result(int exitCode, String output) {}

    private static Result start(List<String> command, String input, Path dir) throws Exception {
        Path log = Files.createTempFile("prefpipe-client-", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, command.get(0) + " did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s: "
                        + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }
}
