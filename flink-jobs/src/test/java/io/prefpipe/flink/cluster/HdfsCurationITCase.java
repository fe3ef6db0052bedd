package io.prefpipe.flink.cluster;

import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SnapshotStoreScenarios} on a real HDFS (a namenode and a datanode, {@link HdfsExtension}), reached through
 * Flink's Hadoop file system as on a cluster whose {@code HADOOP_CLASSPATH} holds Hadoop. Part files go through HDFS's
 * recoverable writer: closed at each checkpoint and renamed into place when it completes; after a failure the restored
 * job commits what its checkpoint left pending, and the files begun after it stay hidden.
 *
 * <p>Runs in its own surefire execution, on Hadoop's shaded client instead of the few Hadoop classes the other tests
 * see (see this module's pom).
 */
class HdfsCurationITCase extends SnapshotStoreScenarios {
    @RegisterExtension
    static final HdfsExtension HDFS = new HdfsExtension();

    @Override
    URI location(String path) {
        return HDFS.uri(path);
    }
}
