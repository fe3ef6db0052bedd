package io.prefpipe.app.dashboard;

import io.prefpipe.app.DurationText;
import io.prefpipe.app.monitor.MonitorConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What a dashboard watches, as command-line options shared by {@code prefpipe dashboard} and {@code serve}. */
public final class DashboardOptions {
    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name, e.g. the demo's"
            + " run id and a dot when it ran on --bootstrap (default: none).")
    String prefix;

    @Option(names = "--group-id", defaultValue = "prefpipe-curate", description = "The curation job's consumer group,"
            + " for the lag (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--snapshots", defaultValue = "prefpipe-out/snapshots", description = "Folder of snapshot folders"
            + " whose manifests give filter counts and ε̂ (default: ${DEFAULT-VALUE}).")
    Path snapshots;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationText.PositiveConverter.class,
            description = "Read dead letters, pairs and annotator estimates stamped this long before the start, e.g."
                    + " 24h or 7d (default: the topics from their beginning). Checkpoint events are always read whole.")
    Duration since;

    /** The monitor's settings for a pipeline on {@code bootstrap}. */
    public MonitorConfig toConfig(String bootstrap) {
        return MonitorConfig.builder(bootstrap)
                .setFeedbackTopic(prefix + "feedback")
                .setFeedbackJsonTopic(prefix + "feedback.json")
                .setDeadLetterTopic(prefix + "feedback.dlq")
                .setPairsTopic(prefix + "pairs")
                .setAnnotatorsTopic(prefix + "annotators")
                .setCheckpointsTopic(prefix + MonitorConfig.CHECKPOINTS_TOPIC)
                .setCurationGroupId(groupId)
                .setSnapshotsDir(snapshots)
                .setReadBack(since)
                .build();
    }
}
