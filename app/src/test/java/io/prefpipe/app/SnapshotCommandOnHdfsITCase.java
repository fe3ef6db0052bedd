package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.optimizer.data.SnapshotFixture;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The snapshot commands and export against a real HDFS (Hadoop's MiniDFSCluster in this JVM), through Flink's Hadoop
 * file system on Hadoop's shaded client: the classpath the launcher runs with when {@code HADOOP_CLASSPATH} is set.
 * Runs in this module's surefire execution {@code hdfs-test}.
 */
class SnapshotCommandOnHdfsITCase {
    private static MiniDFSCluster cluster;
    private static Path storage;
    private static String job;
    private static String cut;
    private static SnapshotManifest manifest;

    @TempDir
    Path dir;

    @BeforeAll
    static void hdfsWithACut() throws Exception {
        // -Dtest=... selects a test in every surefire execution, also in the one without Hadoop's client
        Assumptions.assumeTrue(SnapshotCommandOnHdfsITCase.class.getClassLoader()
                        .getResource("org/apache/hadoop/hdfs/MiniDFSCluster.class") != null,
                "Hadoop's MiniDFSCluster is not on this classpath; this test runs in app's surefire execution"
                        + " hdfs-test");
        storage = Files.createTempDirectory("prefpipe-hdfs-");
        Configuration conf = new Configuration();
        // one datanode: a block cannot have more replicas than that
        conf.setInt("dfs.replication", 1);
        cluster = new MiniDFSCluster.Builder(conf, storage.resolve("dfs").toFile()).numDataNodes(1).nameNodePort(0)
                .build();
        cluster.waitActive();
        job = "hdfs://127.0.0.1:" + cluster.getURI().getPort() + "/prefpipe/snapshots/live";
        cut = job + "/cuts/c1";

        Path local = storage.resolve("local-cut");
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pairs.add(SnapshotFixture.pair("p" + i, "question " + i, "yes " + i, "no " + i));
        }
        manifest = SnapshotFixture.write(local, "c1", pairs, 10);
        FileSystem hdfs = cluster.getFileSystem();
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path("/prefpipe/snapshots/live/cuts/c1"));
    }

    @AfterAll
    static void stopHdfs() throws Exception {
        if (cluster != null) {
            cluster.shutdown(true);
        }
        if (storage != null) {
            FileUtils.deleteDirectory(storage.toFile());
        }
    }

    @Test
    void listShowFetch_findTheCutOnHdfs() throws Exception {
        StringWriter listed = new StringWriter();
        assertThat(cli(listed).execute("snapshot", "list", "--dir", job)).as(listed.toString()).isZero();
        assertThat(listed.toString()).contains("1 snapshot(s)", "  " + cut + "\n");

        StringWriter shown = new StringWriter();
        assertThat(cli(shown).execute("snapshot", "show", cut)).isZero();
        assertThat(shown.toString()).contains("\"snapshotId\" : \"c1\"");

        Path into = dir.resolve("c1");
        StringWriter fetched = new StringWriter();
        assertThat(cli(fetched).execute("snapshot", "fetch", cut, "--to", into.toString()))
                .as(fetched.toString()).isZero();
        assertThat(new SnapshotReader().read(into).manifest()).isEqualTo(manifest);
    }

    @Test
    void export_readsTheCutFromHdfs() throws Exception {
        Path out = dir.resolve("c1.jsonl");

        StdoutCapture.Run run = StdoutCapture.run(() -> cli(new StringWriter()).execute("export", "--format", "trl",
                "--snapshot", cut, "--fetch-to", dir.resolve("fetched").toString(), "--out", out.toString()));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(25);
    }

    private static CommandLine cli(StringWriter out) {
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setOut(new PrintWriter(out));
        return cli;
    }
}
