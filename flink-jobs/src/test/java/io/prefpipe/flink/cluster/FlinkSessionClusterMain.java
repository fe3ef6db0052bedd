package io.prefpipe.flink.cluster;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * A Flink session cluster and its {@code flink} command in a JVM of their own, for {@link JobJarSubmissionIT}: started
 * with Flink's runtime alone on the classpath (as a Flink distribution's {@code lib/}), not prefpipe's classes nor
 * their dependencies, so that a job jar runs only if it carries what it needs.
 *
 * <p>Arguments: the number of task managers, slots per task manager, then the arguments of {@code flink}, e.g.
 * {@code run -p 2 prefpipe-flink-jobs.jar --bootstrap ...}; {@code -m <the cluster's REST address>} is added after
 * the action. Exits with the command's status. Only Flink classes are used here.
 */
public final class FlinkSessionClusterMain {
    private FlinkSessionClusterMain() {}

    public static void main(String[] args) throws Exception {
        int status;
        try (MiniCluster cluster = LoopbackMiniCluster.create(
                Integer.parseInt(args[0]), Integer.parseInt(args[1]), new Configuration())) {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            List<String> command = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
            command.addAll(1, List.of("-m", rest.getHost() + ":" + rest.getPort()));
            Configuration client = new Configuration();
            String configDir = Files.createTempDirectory("flink-conf").toString();
            status = new CliFrontend(client, CliFrontend.loadCustomCommandLines(client, configDir))
                    .parseAndRun(command.toArray(String[]::new));
        }
        System.exit(status);
    }
}
