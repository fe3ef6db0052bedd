package io.prefpipe.flink.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Flink session cluster for a test class: a MiniCluster with several task managers, bound to 127.0.0.1, that jobs
 * reach only through its REST endpoint, as {@code flink run} reaches a real one. (Flink's own
 * {@code MiniClusterExtension} lives in flink-test-utils, which this module leaves out; see its pom.)
 */
final class FlinkClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final int taskManagers;
    private final int slotsPerTaskManager;
    private MiniCluster cluster;
    private URI restAddress;

    FlinkClusterExtension(int taskManagers, int slotsPerTaskManager) {
        this.taskManagers = taskManagers;
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Configuration c = new Configuration();
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        cluster = LoopbackMiniCluster.create(taskManagers, slotsPerTaskManager, c);
        cluster.start();
        restAddress = cluster.getRestAddress().get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    int taskManagers() {
        return taskManagers;
    }

    int slots() {
        return taskManagers * slotsPerTaskManager;
    }

    URI restAddress() {
        return restAddress;
    }

    /**
     * Stops job {@code jobId} with a savepoint in {@code dir}, as {@code flink stop --savepointPath} does, once all its
     * tasks run. A task that fails while the savepoint is taken aborts it and the job restarts from its latest
     * checkpoint; as an operator would, this then waits for the tasks and stops again, at most three times in all.
     */
    String stopWithSavepoint(String jobId, URI dir) throws Exception {
        JobID id = JobID.fromHexString(jobId);
        for (int attempt = 1; ; attempt++) {
            awaitAllTasksRunning(id);
            try {
                return cluster.stopWithSavepoint(id, dir.toString(), false, SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (attempt == 3 || ExceptionUtils.findThrowable(e, CheckpointException.class).isEmpty()) {
                    throw e;
                }
            }
        }
    }

    private void awaitAllTasksRunning(JobID id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(id).get(1, TimeUnit.MINUTES);
            if (graph.getState() == JobStatus.RUNNING && allRunning(graph.getAllExecutionVertices())) {
                return;
            }
            if (graph.getState().isGloballyTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " is " + graph.getState() + ", not running all its tasks");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static boolean allRunning(Iterable<? extends AccessExecutionVertex> vertices) {
        for (AccessExecutionVertex v : vertices) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /**
     * Terminates task manager {@code index}, as when its machine is lost, with whatever tasks it runs, and starts a
     * new one in its place, so that the cluster has its slots again.
     */
    void replaceTaskManager(int index) throws Exception {
        cluster.terminateTaskManager(index).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
    }

    /** How many times the task of job {@code jobId} that ran most often was started: 1 unless tasks failed over. */
    int mostTaskAttempts(String jobId) throws Exception {
        int most = 0;
        for (AccessExecutionVertex v : cluster.getArchivedExecutionGraph(JobID.fromHexString(jobId))
                .get(1, TimeUnit.MINUTES).getAllExecutionVertices()) {
            most = Math.max(most, v.getCurrentExecutionAttempt().getAttemptNumber() + 1);
        }
        return most;
    }

    /**
     * Calls {@code program} the way {@code flink run} calls a job's main method: with this cluster as the context
     * environment, which {@code StreamExecutionEnvironment.getExecutionEnvironment()} returns.
     */
    <T> T asContext(Callable<T> program) throws Exception {
        return asContext(new Configuration(), program);
    }

    /**
     * {@link #asContext(Callable)} with {@code flink run}'s own settings added, e.g. {@code execution.attached} false
     * for {@code -d} or {@code execution.state-recovery.path} for {@code -s}.
     */
    <T> T asContext(Configuration flinkRun, Callable<T> program) throws Exception {
        Configuration client = new Configuration();
        client.set(DeploymentOptions.TARGET, "remote");
        client.set(DeploymentOptions.ATTACHED, true);
        client.addAll(flinkRun);
        client.set(RestOptions.ADDRESS, restAddress.getHost());
        client.set(RestOptions.PORT, restAddress.getPort());
        StreamContextEnvironment.setAsContext(new DefaultExecutorServiceLoader(), client,
                Thread.currentThread().getContextClassLoader(), false, true);
        try {
            return program.call();
        } finally {
            StreamContextEnvironment.unsetAsContext();
        }
    }
}
