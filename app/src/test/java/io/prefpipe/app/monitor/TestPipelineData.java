package io.prefpipe.app.monitor;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.AnnotatorEstimate;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Helpers for tests that feed prefpipe's topics and watch a {@link PipelineMonitor} see it. */
public final class TestPipelineData {
    /** When the annotator model was fitted the first and the second time. */
    public static final Instant FIT_1 = Instant.parse("2026-11-28T10:00:00Z");
    public static final Instant FIT_2 = Instant.parse("2026-11-28T10:01:00Z");

    private TestPipelineData() {}

    public static AnnotatorEstimate estimate(String id, long version, Instant time, Double accuracy, int judgements,
            List<String> flags) {
        return AnnotatorEstimate.newBuilder().setAnnotatorId(id).setMethod("ds").setAccuracy(accuracy)
                .setInformativeness(accuracy == null ? null : Math.abs(2 * accuracy - 1)).setPFirstShown(accuracy == null ? null : 0.5)
                .setFlags(flags).setJudgements(judgements).setEstimates(accuracy == null ? Map.of() : Map.of("p(SECOND|FIRST)", 1 - accuracy)).setModelVersion(version)
                .setModelTime(time).setWindowVotes(1000).build();
    }

    public static PreferencePair pair(String id, String chosen, String rejected, double pChosen, double agreement,
            int votes, Long modelVersion, Instant modelTime) {
        return PreferencePair.newBuilder().setPairId(id).setComparisonId("c-" + id).setPrompt("p")
                .setChosenId("r1").setChosen(chosen).setRejectedId("r2").setRejected(rejected).setPChosen(pChosen)
                .setVoteCount(votes).setAgreement(agreement)
                .setAggregator(modelVersion == null ? "mv" : "model-ds").setSourceEventIds(List.of("e-" + id))
                .setLastEventTime(Instant.EPOCH).setModelVersion(modelVersion).setModelTime(modelTime)
                .setModelVotes(modelVersion == null ? null : 1000).build();
    }

    public static DeadLetter deadLetter(String reason) {
        return DeadLetter.newBuilder().setPayload(ByteBuffer.wrap(new byte[] {1})).setReason(reason)
                .setMessage("bad").setStage("curate").setDeadLetterTime(Instant.EPOCH).build();
    }

    /** A checkpoint event as the training loop would publish it. */
    public static CheckpointEvent checkpoint(String id, String parent, String snapshot, Map<String, Double> metrics) {
        return CheckpointEvent.newBuilder().setCheckpointId(id).setPath("checkpoints/" + id)
                .setParentCheckpointId(parent).setSnapshotId(snapshot)
                .setSnapshotManifest("snapshots/" + snapshot + "/manifest.json").setLoss("dpo").setSeed(42)
                .setConfig(Map.of("beta", "0.5")).setMetrics(metrics).setCreatedTime(Instant.now()).build();
    }

    /** Publishes checkpoint events, Avro binary like every prefpipe topic. */
    public static void publish(String bootstrap, String topic, List<CheckpointEvent> events) throws Exception {
        AvroCodec<CheckpointEvent> codec = new AvroCodec<>(CheckpointEvent.class);
        KafkaTestTopics.produce(bootstrap, topic, events.stream().map(codec::encode).toList());
    }

    /**
     * Waits until the monitor's snapshot satisfies {@code condition}, looking every 50 ms.
     *
     * @throws AssertionError with the last snapshot if it does not within {@code timeout}
     */
    public static MonitorSnapshot await(PipelineMonitor monitor, Predicate<MonitorSnapshot> condition,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        MonitorSnapshot s = monitor.snapshot();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the monitor did not see what was expected within " + timeout + "; last "
                        + "snapshot: " + s);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            s = monitor.snapshot();
        }
        return s;
    }
}
