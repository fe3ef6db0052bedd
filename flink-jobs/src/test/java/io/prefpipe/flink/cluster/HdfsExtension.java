package io.prefpipe.flink.cluster;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HDFS for a test class: Hadoop's MiniDFSCluster, a namenode and one datanode in the test's JVM on 127.0.0.1,
 * with their storage in a temporary folder. Flink reaches it through its Hadoop file system, as a cluster with
 * {@code HADOOP_CLASSPATH} does; the test JVM must hold Hadoop's client (see this module's pom).
 */
final class HdfsExtension implements BeforeAllCallback, AfterAllCallback {
    private static final String MINI_CLUSTER_CLASS = "org/apache/hadoop/hdfs/MiniDFSCluster.class";

    private MiniDFSCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // -Dtest=... selects a test in every surefire execution, also in the one without Hadoop's client
        Assumptions.assumeTrue(getClass().getClassLoader().getResource(MINI_CLUSTER_CLASS) != null,
                "Hadoop's MiniDFSCluster is not on this classpath; the HDFS tests run in flink-jobs' surefire "
                        + "execution hdfs-test");
        Path storage = Files.createTempDirectory("prefpipe-hdfs-");
        Configuration conf = new Configuration();
        // one datanode: a block cannot have more replicas than that
        conf.setInt("dfs.replication", 1);
        cluster = new MiniDFSCluster.Builder(conf, storage.toFile())
                .numDataNodes(1)
                .nameNodePort(0)
                .build();
        cluster.waitActive();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    /** The {@code hdfs://} URI of {@code path} (absolute, e.g. {@code /prefpipe/snapshots}) on this HDFS. */
    URI uri(String path) {
        URI namenode = cluster.getURI();
        return URI.create("hdfs://127.0.0.1:" + namenode.getPort() + path);
    }
}
