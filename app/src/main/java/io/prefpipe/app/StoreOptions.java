package io.prefpipe.app;

import io.prefpipe.flink.fs.Locations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import picocli.CommandLine.Option;

/**
 * How the snapshot commands reach locations that are not local folders ({@code s3://}, or any scheme a Flink file
 * system plugin serves): Flink's file systems, set up from a Flink configuration folder and a plugins folder, exactly
 * as a Flink cluster sets them up, so the settings that let the curation job write there let these commands read there.
 */
final class StoreOptions {
    @Option(names = "--flink-conf-dir", defaultValue = "${env:FLINK_CONF_DIR}", paramLabel = "DIR",
            description = "Flink configuration folder whose config.yaml holds the store's settings (s3.endpoint,"
                    + " s3.access-key, ...; default: $FLINK_CONF_DIR; without one, S3 takes the AWS SDK's default"
                    + " credentials).")
    Path confDir;

    @Option(names = "--flink-plugins-dir", defaultValue = "${env:FLINK_PLUGINS_DIR:-${sys:prefpipe.plugins.dir:-}}",
            paramLabel = "DIR", description = "Flink plugins folder (default: $FLINK_PLUGINS_DIR, else the S3 plugin"
                    + " the prefpipe launcher ships).")
    Path pluginsDir;

    /**
     * The location {@code text} names ({@link Locations#parse}), with Flink's file systems set up for it.
     *
     * @param field the option or parameter it comes from, named in errors
     */
    URI locate(String field, String text) throws IOException {
        URI location = Locations.parse(field, text);
        if ("hdfs".equals(location.getScheme()) && !hadoopClientPresent()) {
            throw new IOException(field + " " + location + " is on HDFS, which needs Hadoop's client on the classpath:"
                    + " set HADOOP_CLASSPATH, e.g. HADOOP_CLASSPATH=$(hadoop classpath) ./prefpipe ...");
        }
        setUpFor(location);
        return location;
    }

    /** Whether Hadoop's HDFS client is here: the launcher carries only the Hadoop classes Parquet needs. */
    private static boolean hadoopClientPresent() {
        try {
            Class.forName("org.apache.hadoop.hdfs.DistributedFileSystem", false, StoreOptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Sets Flink's file systems up in this process if {@code location} is not a local one; a local location needs
     * nothing.
     *
     * @throws IOException naming the option, if a given folder does not exist
     */
    void setUpFor(URI location) throws IOException {
        if ("file".equals(location.getScheme())) {
            return;
        }
        Configuration config = new Configuration();
        if (confDir != null) {
            if (!Files.isDirectory(confDir)) {
                throw new IOException("--flink-conf-dir " + confDir + " is not a folder");
            }
            config = GlobalConfiguration.loadConfiguration(confDir.toString());
        }
        // outside the launcher, with neither default set, picocli gives the empty default as an empty path
        if (pluginsDir == null || pluginsDir.toString().isEmpty()) {
            FileSystem.initialize(config, null);
            return;
        }
        if (!Files.isDirectory(pluginsDir)) {
            throw new IOException("--flink-plugins-dir " + pluginsDir + " is not a folder");
        }
        FileSystem.initialize(config, new DefaultPluginManager(
                new DirectoryBasedPluginFinder(pluginsDir).findPlugins(),
                PluginConfig.fromConfiguration(config).getAlwaysParentFirstPatterns()));
    }
}
