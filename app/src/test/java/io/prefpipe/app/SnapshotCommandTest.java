package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.loop.LiveCuration;
import io.prefpipe.app.loop.LoopConfig;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SnapshotCommandTest {
    @TempDir
    Path dir;

    @Test
    void list_findsEveryManifestOldestFirst() throws Exception {
        manifest("late", Instant.parse("2026-01-02T00:00:00Z"), 7).write(dir.resolve("b"));
        manifest("early", Instant.parse("2026-01-01T00:00:00Z"), 5).write(dir.resolve("live/cuts/a"));
        Files.createDirectories(dir.resolve("not-a-snapshot"));

        StringWriter out = new StringWriter();
        int code = cli(out).execute("snapshot", "list", "--dir", dir.toString());

        assertThat(code).isZero();
        String text = out.toString();
        assertThat(text).contains("2 snapshot(s)", "feedback/0:[0,12)");
        assertThat(text.indexOf("early")).isLessThan(text.indexOf("late"));
        assertThat(text).containsPattern("early\\s+2026-01-01T00:00:00\\s+5\\s+1\\s+12");
    }

    @Test
    void list_folderWithATrainingCheckpoint_listsTheSnapshotsAndNamesTheOtherManifest() throws Exception {
        manifest("one", Instant.parse("2026-01-01T00:00:00Z"), 5).write(dir.resolve("snapshots/one"));
        Path checkpoint = Files.createDirectories(dir.resolve("checkpoints/dpo-1"));
        Files.writeString(checkpoint.resolve("manifest.json"), "{\"formatVersion\": 1, \"checkpointId\": \"dpo-1\"}");

        StringWriter out = new StringWriter();
        int code = cli(out).execute("snapshot", "list", "--dir", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("1 snapshot(s)", "  " + dir.resolve("snapshots/one") + "\n",
                "skipped 1 manifest.json that is not a snapshot's (a training checkpoint has one too):\n  "
                        + checkpoint.resolve("manifest.json") + " is not a snapshot manifest: ");
    }

    @Test
    void show_printsTheManifest() throws Exception {
        manifest("one", Instant.parse("2026-01-01T00:00:00Z"), 5).write(dir.resolve("one"));

        StringWriter out = new StringWriter();
        int code = cli(out).execute("snapshot", "show", dir.resolve("one").toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"snapshotId\" : \"one\"", "\"eventsIn\" : 12");
    }

    @Test
    void list_onHdfsWithoutHadoopsClient_saysToSetHadoopClasspath() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute("snapshot", "list", "--dir", "hdfs://127.0.0.1:1/snapshots");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("prefpipe snapshot list: --dir hdfs://127.0.0.1:1/snapshots is on HDFS,"
                + " which needs Hadoop's client on the classpath: set HADOOP_CLASSPATH");
    }

    @Test
    void show_aTrainingCheckpointsManifest_isRefusedNamingIt() throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve("dpo-1"));
        Files.writeString(checkpoint.resolve("manifest.json"), "{\"formatVersion\": 1, \"checkpointId\": \"dpo-1\"}");
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute("snapshot", "show", checkpoint.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("prefpipe snapshot show: " + checkpoint.resolve("manifest.json")
                + " is not a snapshot manifest: ");
    }

    @Test
    void cut_jobWithoutACompletedCheckpoint_cutsNothingAndSaysSo() throws Exception {
        Files.createDirectories(dir.resolve("live"));

        StringWriter out = new StringWriter();
        int code = cli(out).execute("snapshot", "cut", "--job-dir", dir.resolve("live").toString());

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).contains("nothing to cut");
        assertThat(SnapshotCutter.cuts(dir.resolve("live"))).isEmpty();
    }

    @Test
    void cut_missingJobFolder_isRefusedNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute("snapshot", "cut", "--job-dir", dir.resolve("nowhere").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("prefpipe snapshot cut: no such file or folder: " + dir.resolve("nowhere")
                + " (not a folder: --job-dir must be the snapshot folder of a running curation job)");
    }

    @Test
    void cut_jobFolderOfALoop_refusedNamingTheLoopAndWhereItsSnapshotsAre() throws Exception {
        Path job = Files.createDirectories(dir.resolve("live"));
        Path loop = dir.resolve("loop");
        LiveCuration.attach(LoopConfig.read(LoopConfig.parse("""
                name: nightly
                dir: %s
                kafka: {bootstrap: 127.0.0.1:9092}
                curation: {run: false, job-dir: %s}
                policy: {initial: sft}
                """.formatted(loop, job))));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = cli(out);
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("snapshot", "cut", "--job-dir", job.toString());

        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains(job + " is the curation job of the loop nightly in " + loop)
                .contains("take its pairs away from the loop's next iteration")
                .contains("prefpipe snapshot list --dir " + job.resolve("cuts"))
                .contains("delete " + job.resolve(LiveCuration.OWNER_FILE));
        assertThat(job.resolve("cuts")).doesNotExist();
    }

    private static CommandLine cli(StringWriter out) {
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setOut(new PrintWriter(out));
        return cli;
    }

    private static SnapshotManifest manifest(String id, Instant created, long rows) {
        return new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, id, created, "mv",
                List.of(new SnapshotFile("pairs-0.parquet", rows, 100, "ab")),
                List.of(new OffsetRange("feedback", 0, 0, 12)),
                new Counts(12, 10, rows, Map.of("tie", 2L), Map.of()), Map.of());
    }
}
