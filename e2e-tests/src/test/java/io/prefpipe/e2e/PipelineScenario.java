package io.prefpipe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.demo.DemoOptions;
import io.prefpipe.app.demo.DemoReport;
import io.prefpipe.app.demo.DemoRunner;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * The whole path on real components, shared by the embedded-broker and the Testcontainers tests: synthetic feedback
 * produced to Kafka, the Flink curation job, the Parquet snapshot read back, a few DPO steps and a checkpoint.
 */
final class PipelineScenario {
    private PipelineScenario() {}

    /** Runs a small demo against {@code bootstrap} (or an embedded broker when null) and checks every invariant. */
    static DemoReport runAndVerify(String bootstrap, Path out) throws Exception {
        DemoOptions options = DemoOptions.builder()
                .setSeed(7)
                .setOut(out)
                .setBootstrap(bootstrap)
                .setComparisons(300)
                .setJudgements(1_200)
                .setAnnotators(10)
                .setRedeliveryRate(0.02)
                .setMalformedRate(0.02)
                .setSftSteps(60)
                .setDpoSteps(40)
                .setBatchSize(8)
                .setDpoLearningRate(1e-3)
                .setEvalSamplesPerPrompt(1)
                .build();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoReport report = new DemoRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String printed = console.toString(StandardCharsets.UTF_8);

        SnapshotManifest.Counts counts = report.counts();
        assertThat(counts.eventsIn()).as("every produced event is read").isEqualTo(report.eventsProduced());
        assertThat(report.eventsInByTopic()).as("every event produced to each topic, Avro and JSON, is read from it")
                .isEqualTo(report.producedByTopic())
                .hasSize(2)
                .allSatisfy((topic, n) -> assertThat(n).as(topic).isPositive());
        assertThat(report.reconciles()).isTrue();
        assertThat(counts.eventsIn())
                .as("events in = curated + filtered + dead-lettered")
                .isEqualTo(counts.curatedEvents() + counts.filteredTotal() + counts.deadLetteredTotal());
        assertThat(counts.filtered()).containsKey("duplicate");
        assertThat(counts.deadLetteredTotal()).isPositive();

        SnapshotManifest manifest = SnapshotManifest.read(report.snapshotDir());
        List<PreferencePair> pairs = readPairs(manifest.resolveFiles(report.snapshotDir()));
        assertThat(pairs).hasSize((int) counts.pairs()).hasSize((int) manifest.totalRows());
        assertThat(pairs).extracting(PreferencePair::getPairId).doesNotHaveDuplicates();
        assertThat(pairs).allSatisfy(p -> assertThat(p.getChosen()).isNotEqualTo(p.getRejected()));

        assertThat(report.dpoLossEnd()).as("the DPO loss falls").isLessThan(report.dpoLossStart());
        CheckpointManifest checkpoint = CheckpointManifest.read(report.checkpointDir());
        assertThat(checkpoint.lineage().snapshotId()).isEqualTo(manifest.snapshotId());
        assertThat(printed).contains("[3/5", "[4/5", "[5/5", "reconciled");
        return report;
    }

    static List<PreferencePair> readPairs(List<Path> files) throws Exception {
        List<PreferencePair> out = new ArrayList<>();
        for (Path f : files) {
            try (ParquetReader<PreferencePair> reader = AvroParquetReader.<PreferencePair>builder(new LocalInputFile(f),
                            new PlainParquetConfiguration())
                    .withDataModel(SpecificData.get())
                    .build()) {
                for (PreferencePair p = reader.read(); p != null; p = reader.read()) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
