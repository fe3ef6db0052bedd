package io.prefpipe.flink.cluster;

import io.prefpipe.testing.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An S3-compatible object store for a test class ({@link S3Server}), with Flink's file systems set up in this JVM as a
 * cluster sets them up: {@code flink-s3-fs-hadoop} loaded as a plugin from a {@code plugins/} folder (this module's
 * build copies it to {@code target/plugins/s3-fs-hadoop/}), and the {@code s3.*} settings pointing at the store. Flink's
 * file systems are set up once per JVM; they are set back to the defaults afterwards.
 */
final class S3Extension implements BeforeAllCallback, AfterAllCallback {
    private static final Path PLUGINS = Path.of("target", "plugins").toAbsolutePath();

    private final String bucket;
    private Path storage;
    private S3Server server;

    S3Extension(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        storage = Files.createTempDirectory("prefpipe-s3-");
        server = S3Server.start(storage, bucket);
        Configuration c = new Configuration();
        c.setString("s3.endpoint", server.endpoint().toString());
        c.setString("s3.path.style.access", "true");
        c.setString("s3.access.key", S3Server.ACCESS_KEY);
        c.setString("s3.secret.key", S3Server.SECRET_KEY);
        // Two S3A settings for S3Proxy's file system back end, which AWS S3 does not need: it never answers a
        // multi-object delete from the AWS SDK S3A uses (one DELETE per object instead, as for other S3-compatible
        // stores without bulk delete), and it takes 10 s to delete a folder marker that is not there, which S3A does
        // for every parent folder after every write unless told to keep markers (Hadoop 3.4's default anyway)
        c.setString("s3.multiobjectdelete.enable", "false");
        c.setString("s3.directory.marker.retention", "keep");
        FileSystem.initialize(c, new DefaultPluginManager(new DirectoryBasedPluginFinder(plugins()).findPlugins(),
                PluginConfig.fromConfiguration(c).getAlwaysParentFirstPatterns()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        FileSystem.initialize(new Configuration(), null);
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            FileUtils.deleteDirectory(storage.toFile());
        }
    }

    /** The {@code s3://} URI of {@code path} (absolute, e.g. {@code /prefpipe/snapshots}) in this store's bucket. */
    URI uri(String path) {
        return URI.create("s3://" + bucket + path);
    }

    private static Path plugins() throws IOException {
        if (!Files.isDirectory(PLUGINS.resolve("s3-fs-hadoop"))) {
            throw new IOException("no S3 plugin in " + PLUGINS + "; the build copies it there in generate-test-resources"
                    + " (mvn -pl flink-jobs test-compile)");
        }
        return PLUGINS;
    }
}
