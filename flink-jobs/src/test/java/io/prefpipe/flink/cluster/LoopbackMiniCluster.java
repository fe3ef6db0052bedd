package io.prefpipe.flink.cluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A MiniCluster of several task managers with every endpoint bound to 127.0.0.1 and its REST endpoint on a free port,
 * so that tests neither listen on the machine's network nor collide on a fixed port. Only Flink classes are used here:
 * {@link FlinkSessionClusterMain} runs it with Flink's runtime alone on the classpath.
 */
final class LoopbackMiniCluster {
    private LoopbackMiniCluster() {}

    /** A cluster not yet started, with {@code settings} added to the loopback configuration. */
    static MiniCluster create(int taskManagers, int slotsPerTaskManager, Configuration settings) {
        Configuration c = new Configuration();
        String loopback = "127.0.0.1";
        c.set(RestOptions.BIND_ADDRESS, loopback);
        c.set(RestOptions.ADDRESS, loopback);
        c.set(RestOptions.BIND_PORT, "0");
        c.set(JobManagerOptions.ADDRESS, loopback);
        c.set(JobManagerOptions.BIND_HOST, loopback);
        c.set(TaskManagerOptions.HOST, loopback);
        c.set(TaskManagerOptions.BIND_HOST, loopback);
        c.addAll(settings);
        return new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slotsPerTaskManager)
                .build());
    }
}
