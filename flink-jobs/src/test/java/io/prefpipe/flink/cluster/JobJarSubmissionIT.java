package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.testing.JavaProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar, {@code target/prefpipe-flink-jobs.jar}, submitted with {@code flink run} (Flink's
 * {@code CliFrontend}) to a session cluster of two task managers, in a JVM whose classpath holds Flink's runtime and
 * nothing of prefpipe (see {@link FlinkSessionClusterMain}): the job runs only if the jar carries our classes, the Kafka
 * connector, Avro, Parquet and their services, and names its main class. Runs in the integration-test phase, after
 * the jar is built.
 */
class JobJarSubmissionIT {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path JAR = TARGET.resolve("prefpipe-flink-jobs.jar");

    @TempDir
    Path tmp;

    @Test
    void jar_namesItsMainClassAndBundlesWhatTheClusterLacksButNotFlinksRuntime() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(CurationJobMain.class.getName());
            List<String> entries = jar.stream().map(e -> e.getName()).toList();
            assertThat(entries).contains(
                    "io/prefpipe/flink/curate/CurationTopology.class",
                    "io/prefpipe/labeling/curate/ComparisonCurator.class",
                    "io/prefpipe/schema/FeedbackEvent.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class",
                    "org/apache/avro/Schema.class",
                    "org/apache/parquet/avro/AvroParquetWriter.class",
                    "picocli/CommandLine.class");
            assertThat(entries).as("Flink's runtime and logging come from the cluster")
                    .noneMatch(e -> e.startsWith("org/apache/flink/runtime/")
                            || e.startsWith("org/apache/flink/streaming/api/environment/")
                            || e.startsWith("org/slf4j/") || e.startsWith("org/apache/logging/log4j/"));
            String factories = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/org.apache.flink.table.factories.Factory")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(factories).as("service files of several jars merged, not the last one kept").contains(
                    "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory",
                    "org.apache.flink.formats.avro.AvroFormatFactory",
                    "org.apache.flink.formats.parquet.ParquetFileFormatFactory");
        }
    }

    @Test
    void flinkRun_jarOnASessionClusterWithoutOurClasses_writesAReconciledSnapshot() throws Exception {
        String suffix = UUID.randomUUID().toString();
        SyntheticStream stream = SyntheticStream.produce(KAFKA.bootstrapServers(), suffix, 2,
                SyntheticFeedbackConfig.builder(23).setComparisons(400).setJudgements(1_600).setAnnotators(12)
                        .setRedeliveryRate(0.02).setMalformedRate(0.01).build());
        URI snapshots = ForeignSchemeFileSystem.uri("job-jar-it/" + suffix);
        Path log = tmp.resolve("flink-run.log");

        List<String> args = new ArrayList<>(List.of("2", "1", "run", "-p", "2", JAR.toString()));
        args.addAll(stream.jobArguments(KAFKA.bootstrapServers(), suffix));
        args.addAll(List.of(
                "--snapshots", snapshots.toString(),
                "--snapshot-id", "nightly",
                "--checkpoint-dir", Locations.of(tmp.resolve("checkpoints")).toString(),
                "--checkpoint-interval", "500 ms",
                "--bounded"));
        Process flink = start(log, args.toArray(String[]::new));
        try {
            assertThat(flink.waitFor(4, TimeUnit.MINUTES)).as("flink run finished; log:%n%s", output(log)).isTrue();
        } finally {
            flink.destroyForcibly();
        }
        assertThat(flink.exitValue()).as("flink run exit status; log:%n%s", output(log)).isZero();
        assertThat(output(log)).contains("Job has been submitted with JobID", "[reconciled]");
        // what flink run printed, without the cluster's log lines, for the record
        try (Stream<String> lines = Files.lines(log)) {
            lines.filter(l -> !l.isBlank() && !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*") && !l.startsWith("\t"))
                    .forEach(l -> System.out.println("flink run | " + l));
        }

        org.apache.flink.core.fs.Path snapshot = new org.apache.flink.core.fs.Path(
                new org.apache.flink.core.fs.Path(snapshots), "nightly");
        SnapshotManifest manifest = FlinkFiles.read(new org.apache.flink.core.fs.Path(snapshot,
                SnapshotManifest.FILE_NAME), SnapshotManifest::fromJson);
        SnapshotManifest.Counts counts = manifest.counts();
        assertThat(counts.reconciles()).as("%s", counts).isTrue();
        assertThat(counts.eventsIn()).isEqualTo(stream.events());
        assertThat(counts.filtered()).containsEntry("duplicate", stream.redeliveries());
        assertThat(counts.deadLetteredTotal()).isEqualTo(stream.malformed());
        assertThat(counts.pairs()).isPositive().isEqualTo(manifest.totalRows());
        assertThat(manifest.properties()).as("flink run -p sets the parallelism")
                .containsEntry("curate.parallelism", "2");
        assertThat(KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(), "pairs-" + suffix))
                .hasSize((int) counts.pairs());
    }

    /** Starts {@link FlinkSessionClusterMain} with Flink's runtime, logging and nothing else of ours on the classpath. */
    private static Process start(Path log, String... args) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (String file : List.of("flink-runtime.classpath", "flink-runtime-shared.classpath", "logging.classpath")) {
            classpath.add(Files.readString(TARGET.resolve(file)).trim());
        }
        // the session cluster's main class and the test file system (as a plugin would be); no prefpipe main class
        classpath.add(TARGET.resolve("test-classes").toString());
        // this JVM's flags (add-opens, Avro's serializable packages, the temp folder), as a cluster's env.java.opts
        return JavaProcess.of(FlinkSessionClusterMain.class).classpath(classpath).inheritJvmFlags().maxHeap("1g")
                .args(args).outputTo(log).start();
    }

    private static String output(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> !l.isBlank()).collect(Collectors.joining(System.lineSeparator()));
        }
    }
}
