package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.checkpoint.SnapshotLineage;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.SnapshotFixture;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.testing.S3Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The snapshot commands against an S3-compatible store (S3Proxy in its own JVM), through the Flink S3 plugin the
 * launcher ships ({@code target/plugins}, copied there by the build) and a Flink configuration folder, as a user
 * points them at the bucket their cluster's curation job writes to.
 */
class SnapshotCommandOnS3ITCase {
    private static final String BUCKET = "store";
    private static final String JOB = "s3://" + BUCKET + "/snapshots/live";
    private static final String CUT = JOB + "/cuts/c1";

    private static S3Server server;
    private static Path storage;
    private static Path conf;
    private static SnapshotManifest manifest;

    @TempDir
    Path dir;

    @BeforeAll
    static void storeWithACut() throws Exception {
        storage = Files.createTempDirectory("prefpipe-s3-");
        server = S3Server.start(storage.resolve("store"), BUCKET);
        conf = Files.createDirectories(storage.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), """
                s3.endpoint: %s
                s3.path.style.access: true
                s3.access-key: %s
                s3.secret-key: %s
                # S3Proxy's file back end, not AWS: see S3Extension in flink-jobs
                s3.multiobjectdelete.enable: false
                s3.directory.marker.retention: keep
                """.formatted(server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY));

        Path local = storage.resolve("local-cut");
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pairs.add(SnapshotFixture.pair("p" + i, "question " + i, "yes " + i, "no " + i));
        }
        manifest = SnapshotFixture.write(local, "c1", pairs, 10);
        store().setUpFor(java.net.URI.create(CUT));
        upload(local, CUT);
    }

    @AfterAll
    static void stopStore() throws Exception {
        FileSystem.initialize(new Configuration(), null);
        if (server != null) {
            server.close();
        }
        FileUtils.deleteDirectory(storage.toFile());
    }

    @Test
    void list_findsTheCutInTheBucket() {
        StringWriter out = new StringWriter();

        int code = cli(out).execute(withStore("snapshot", "list", "--dir", "s3://" + BUCKET + "/snapshots"));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("1 snapshot(s)", "  " + CUT + "\n")
                .containsPattern("c1\\s+2026-11-28T10:00:00\\s+25\\s+3\\s+50");
    }

    @Test
    void show_printsTheManifestFromTheBucket() {
        StringWriter out = new StringWriter();

        int code = cli(out).execute(withStore("snapshot", "show", CUT));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"snapshotId\" : \"c1\"", "\"pairs/part-2.parquet\"");
    }

    @Test
    void fetch_copiesTheCutToALocalFolderThatTrainingReads() throws Exception {
        StringWriter out = new StringWriter();
        Path into = dir.resolve("c1");

        int code = cli(out).execute(withStore("snapshot", "fetch", CUT, "--to", into.toString()));

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("fetched: snapshot c1, 25 pairs in 3 file(s) at " + into);
        PreferenceSnapshot snapshot = new SnapshotReader().read(into);
        assertThat(snapshot.manifest()).isEqualTo(manifest);
        assertThat(snapshot.examples()).hasSize(25);

        StringWriter again = new StringWriter();
        assertThat(cli(again).execute(withStore("snapshot", "fetch", CUT, "--to", into.toString()))).isZero();
        assertThat(again.toString()).contains("already fetched: snapshot c1", "(0 file(s), 0 bytes copied");
    }

    @Test
    void optimize_onTheCutInTheBucket_fetchesItOnceAndTrainsOnIt() throws Exception {
        Path base = dir.resolve("base");
        try (PolicyModel policy = PolicyModel.create(
                PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2).setWidth(16).build(), 1)) {
            policy.save(base);
        }
        Path fetched = dir.resolve("fetched");
        Path checkpoint = dir.resolve("dpo");

        StdoutCapture.Run run = StdoutCapture.run(() -> cli(new StringWriter()).execute(withStore("optimize", "--loss", "dpo",
                "--snapshot", CUT, "--fetch-to", fetched.toString(), "--base", base.toString(), "--out",
                checkpoint.toString(), "--steps", "4", "--batch-size", "4")));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("fetching snapshot " + CUT + " to " + fetched,
                "fetched snapshot c1: 3 file(s)", "snapshot c1: 25 pairs");
        assertThat(CheckpointManifest.read(checkpoint).lineage()).isEqualTo(SnapshotLineage.of(manifest));

        Path export = dir.resolve("c1.jsonl");
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        Files.setLastModifiedTime(fetched, FileTime.from(longAgo));
        StdoutCapture.Run exported = StdoutCapture.run(() -> cli(new StringWriter()).execute(withStore("export", "--format", "trl",
                "--snapshot", CUT, "--fetch-to", fetched.toString(), "--out", export.toString())));

        assertThat(exported.exit()).as(exported.output()).isZero();
        assertThat(exported.output()).contains("already fetched snapshot c1: 0 file(s), 0 bytes copied");
        assertThat(Files.readAllLines(export)).hasSize(25);
        assertThat(Files.getLastModifiedTime(fetched).toInstant()).as("marked used").isAfter(longAgo);
    }

    @Test
    void fetch_noSnapshotThere_failsNamingTheLocation() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute(withStore("snapshot", "fetch", JOB + "/cuts/none", "--to", dir.resolve("x").toString()));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no snapshot manifest at " + JOB + "/cuts/none/manifest.json");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void cut_jobFolderInTheBucketWithoutACheckpoint_cutsNothingAndSaysSo() {
        String job = "s3://" + BUCKET + "/snapshots/starting";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setOut(new PrintWriter(out)).setErr(new PrintWriter(err, true));

        int code = cli.execute(withStore("snapshot", "cut", "--job-dir", job, "--timeout-seconds", "5"));

        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(out.toString()).contains("no checkpoint completed in " + job);
    }

    private static String[] withStore(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--flink-conf-dir", conf.toString(), "--flink-plugins-dir",
                plugins().toString())).toArray(String[]::new);
    }

    private static StoreOptions store() {
        StoreOptions options = new StoreOptions();
        options.confDir = conf;
        options.pluginsDir = plugins();
        return options;
    }

    private static Path plugins() {
        return Path.of("target", "plugins").toAbsolutePath();
    }

    /** Copies every file under {@code local} to {@code uri}, through Flink's file system for the URI. */
    private static void upload(Path local, String uri) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(local)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            org.apache.flink.core.fs.Path target = new org.apache.flink.core.fs.Path(
                    uri + "/" + local.relativize(file).toString().replace('\\', '/'));
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = target.getFileSystem().create(target, WriteMode.OVERWRITE)) {
                in.transferTo(out);
            }
        }
    }

    private static CommandLine cli(StringWriter out) {
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setOut(new PrintWriter(out));
        return cli;
    }
}
