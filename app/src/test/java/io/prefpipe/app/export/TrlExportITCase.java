package io.prefpipe.app.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.app.PrefpipeCommand;
import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.ingestion.file.FileIngestor;
import io.prefpipe.ingestion.file.IngestOptions;
import io.prefpipe.ingestion.file.IngestReport;
import io.prefpipe.ingestion.file.ProgressListener;
import io.prefpipe.ingestion.format.FeedbackFormat;
import io.prefpipe.ingestion.format.TrlWriter;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.kafka.FeedbackSink;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Hand-written feedback in the import formats goes through a real broker and the Flink curation job into a snapshot;
 * the snapshot is exported as TRL JSONL and imported again with the TRL importer, which must give back exactly the
 * snapshot's pairs. Snapshots that do not match their manifest are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrlExportITCase {
    private static final String TRL = """
            {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}
            {"prompt": "Écris \\"bonjour\\"\\nsur deux lignes", "chosen": "bon\\njour ✓", "rejected": "bonjour"}
            {"prompt": "2+2?", "chosen": "4", "rejected": "5", "id": 17}
            {"prompt": [{"role": "system", "content": "One word."}, {"role": "user", "content": "Grass?"}], "chosen": [{"role": "assistant", "content": "Green."}], "rejected": [{"role": "assistant", "content": "Purple."}]}
            {"chosen": [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "A prime?"}, {"role": "assistant", "content": "7"}], "rejected": [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "A prime?"}, {"role": "assistant", "content": "9"}]}
            {"chosen": "no prompt", "rejected": "here"}
            """;
    private static final String RANKING = """
            {"prompt": "Rank the summaries.", "responses": ["Short, right.", "Long, right.", "Wrong."], "ranks": [1, 2, 3]}
            """;
    private static final String RATINGS = """
            {"prompt": "Rate the greetings.", "responses": ["Hello!", "Hi.", "Yo"], "scores": [7, 7, 2], "scale": {"min": 1, "max": 7}}
            """;

    @TempDir
    static Path tmp;

    private EmbeddedKafkaBroker broker;
    private Path snapshot;
    private List<PreferenceExample> pairs;

    @BeforeAll
    void curateTheFixtures() throws Exception {
        broker = EmbeddedKafkaBroker.builder().setBaseDirectory(tmp.resolve("kafka")).build().start();
        String bootstrap = broker.bootstrapServers();
        Topics.ensure(bootstrap, List.of("feedback", "feedback.dlq", "pairs"), 1, (short) 1);
        try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(bootstrap).build())) {
            assertThat(ingest(producer, "trl.jsonl", TRL, FeedbackFormat.TRL).deadLettered()).isEqualTo(1);
            assertThat(ingest(producer, "ranking.jsonl", RANKING, FeedbackFormat.RANKING).produced()).isEqualTo(1);
            assertThat(ingest(producer, "ratings.jsonl", RATINGS, FeedbackFormat.RATINGS).produced()).isEqualTo(1);
        }
        CurationReport report = CurationJob.run(CurationJobConfig.builder()
                .setBootstrapServers(bootstrap)
                .setGroupId("export-test")
                .setTransactionalIdPrefix("export-test")
                .setBounded(true)
                .setAggregator("mv")
                .setComparisonWindow(Duration.ofDays(1))
                .setSnapshotDir(tmp.resolve("snapshot"))
                .setSnapshotId("export-test")
                .build(), new CurationProgressListener() {});
        snapshot = report.snapshotDir();
        pairs = new SnapshotReader().read(snapshot).examples();
        // 5 TRL pairs, 3 from the ranking, 2 from the ratings (their tie is filtered)
        assertThat(report.counts().reconciles()).isTrue();
        assertThat(pairs).hasSize(10);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    private IngestReport ingest(FeedbackProducer producer, String name, String lines, FeedbackFormat format)
            throws IOException {
        Path file = Files.writeString(tmp.resolve(name), lines);
        return new FileIngestor(producer).run(IngestOptions.builder().setInput(file).setFormat(format).build(),
                ProgressListener.NONE);
    }

    /** The events the TRL importer (parser and validator) makes of {@code file}; it must refuse no line. */
    private static List<FeedbackEvent> importTrl(Path file) throws IOException {
        List<FeedbackEvent> events = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        IngestReport report = new FileIngestor(new FeedbackSink() {
            @Override
            public void send(FeedbackEvent event) {
                events.add(event);
            }

            @Override
            public void sendDeadLetter(DeadLetter deadLetter) {
                dead.add(deadLetter);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }).run(IngestOptions.builder().setInput(file).setFormat(FeedbackFormat.TRL).build(), ProgressListener.NONE);
        assertThat(dead).as("refused lines").isEmpty();
        assertThat(report.produced()).isEqualTo(report.linesRead());
        return events;
    }

    private record Triple(String prompt, String chosen, String rejected) {}

    private static Triple triple(FeedbackEvent e) {
        String preferred = ((PairwiseChoice) e.getJudgement()).getPreferred();
        Map<Boolean, List<String>> split = e.getResponses().stream().collect(Collectors.partitioningBy(
                r -> r.getId().equals(preferred), Collectors.mapping(Response::getText, Collectors.toList())));
        return new Triple(e.getPrompt(), split.get(true).get(0), split.get(false).get(0));
    }

    private static Triple triple(PreferenceExample p) {
        return new Triple(p.prompt(), p.chosen(), p.rejected());
    }

    @Test
    void run_standard_reimportsAsExactlyTheSnapshotsPairs() throws Exception {
        Path out = tmp.resolve("standard.jsonl");
        TrlExport.Report report = TrlExport.run(new TrlExport.Options(snapshot, out, TrlWriter.Form.STANDARD, true),
                n -> {});

        assertThat(report.pairsRead()).isEqualTo(10);
        assertThat(report.linesWritten()).isEqualTo(10);
        assertThat(report.snapshotId()).isEqualTo("export-test");
        List<FeedbackEvent> back = importTrl(out);
        assertThat(back).extracting(TrlExportITCase::triple)
                .containsExactlyElementsOf(pairs.stream().map(TrlExportITCase::triple).toList());
        for (int i = 0; i < back.size(); i++) {
            assertThat(back.get(i).getMetadata()).containsEntry("trl.pair_id", pairs.get(i).pairId())
                    .containsEntry("trl.p_chosen", Double.toString(pairs.get(i).pChosen()));
        }
        assertThat(Files.readString(out)).contains("\"prompt\":\"The sky is\",\"chosen\":\" blue.\"");
    }

    @Test
    void export_conversationalFromTheCommandLine_transcriptPromptsComeBackAsTheyWere() throws Exception {
        Path out = tmp.resolve("conversational.jsonl");
        int code = new CommandLine(new PrefpipeCommand()).execute("export", "--format", "trl", "--snapshot",
                snapshot.toString(), "--out", out.toString(), "--conversational", "--no-extra-fields");
        assertThat(code).isZero();

        List<FeedbackEvent> back = importTrl(out);
        assertThat(back).hasSameSizeAs(pairs);
        for (int i = 0; i < back.size(); i++) {
            Triple sent = triple(pairs.get(i));
            String prompt = sent.prompt().startsWith("Human: ") || sent.prompt().startsWith("System: ")
                    ? sent.prompt() : "Human: " + sent.prompt();
            assertThat(triple(back.get(i))).isEqualTo(new Triple(prompt, sent.chosen().strip(),
                    sent.rejected().strip()));
            assertThat(back.get(i).getMetadata()).doesNotContainKey("trl.pair_id");
        }
        assertThat(back).extracting(e -> e.getPrompt())
                .contains("System: One word.\n\nHuman: Grass?", "Human: Hi!\n\nAssistant: Hello.\n\nHuman: A prime?");
    }

    @Test
    void run_sameSnapshotTwice_sameBytes() throws Exception {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        TrlExport.run(new TrlExport.Options(snapshot, a, TrlWriter.Form.STANDARD, true), n -> {});
        TrlExport.run(new TrlExport.Options(snapshot, b, TrlWriter.Form.STANDARD, true), n -> {});
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    }

    private Path copyOfSnapshot(String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(snapshot)) {
            walk.forEach(p -> {
                try {
                    Files.copy(p, copy.resolve(snapshot.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return copy;
    }

    private static Path firstListedFile(Path dir) throws IOException {
        return dir.resolve(SnapshotManifest.read(dir).files().get(0).path());
    }

    @Test
    void run_noManifest_isRefusedAndWritesNothing() throws Exception {
        Path dir = copyOfSnapshot("no-manifest");
        Files.delete(dir.resolve(SnapshotManifest.FILE_NAME));
        Path out = tmp.resolve("no-manifest.jsonl");

        assertThatThrownBy(() -> TrlExport.run(new TrlExport.Options(dir, out, TrlWriter.Form.STANDARD, true), n -> {}))
                .isInstanceOf(IOException.class).hasMessageContaining("no snapshot manifest");
        assertThat(out).doesNotExist();
        assertThat(new CommandLine(new PrefpipeCommand()).execute("export", "--format", "trl", "--snapshot",
                dir.toString(), "--out", out.toString())).isEqualTo(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void run_fileWhoseBytesDifferFromTheManifest_isRefused() throws Exception {
        Path dir = copyOfSnapshot("tampered");
        Path file = firstListedFile(dir);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Path out = tmp.resolve("tampered.jsonl");

        assertThatThrownBy(() -> TrlExport.run(new TrlExport.Options(dir, out, TrlWriter.Form.STANDARD, true), n -> {}))
                .isInstanceOf(IOException.class).hasMessageContaining("SHA-256").hasMessageContaining(file.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void run_listedFileMissing_isRefused() throws Exception {
        Path dir = copyOfSnapshot("missing-file");
        Path file = firstListedFile(dir);
        Files.delete(file);

        assertThatThrownBy(() -> TrlExport.run(new TrlExport.Options(dir, tmp.resolve("missing.jsonl"),
                TrlWriter.Form.STANDARD, true), n -> {}))
                .isInstanceOf(IOException.class).hasMessageContaining("no such file");
    }

    @Test
    void run_parquetFileTheManifestDoesNotList_isNotExported() throws Exception {
        Path dir = copyOfSnapshot("stray-file");
        Path listed = firstListedFile(dir);
        Files.copy(listed, dir.resolve("stray-" + listed.getFileName()));
        Path out = tmp.resolve("stray.jsonl");

        assertThat(TrlExport.run(new TrlExport.Options(dir, out, TrlWriter.Form.STANDARD, true), n -> {})
                .linesWritten()).isEqualTo(pairs.size());
    }

    @Test
    void run_outputExists_isRefused() throws Exception {
        Path out = Files.writeString(tmp.resolve("exists.jsonl"), "keep me\n");
        assertThatThrownBy(() -> TrlExport.run(new TrlExport.Options(snapshot, out, TrlWriter.Form.STANDARD, true),
                n -> {})).isInstanceOf(IOException.class).hasMessageContaining("exists");
        assertThat(Files.readString(out)).isEqualTo("keep me\n");
    }
}
