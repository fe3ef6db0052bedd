package io.prefpipe.ingestion.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/** Creates prefpipe's topics where they do not exist yet. */
public final class Topics {
    /** The topic of valid {@code FeedbackEvent}s, Avro binary, keyed by comparison id. */
    public static final String FEEDBACK = "feedback";
    /** The topic of {@code FeedbackEvent}s in prefpipe's JSON form, one per message, for any Kafka client. */
    public static final String FEEDBACK_JSON = "feedback.json";
    /** The topic of {@code DeadLetter}s of feedback, Avro binary. */
    public static final String FEEDBACK_DEAD_LETTERS = "feedback.dlq";

    private static final Duration SERVED_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(50);

    private Topics() {}

    /**
     * Creates each missing topic with {@code partitions} partitions and unlimited retention, so that feedback with old
     * event times is never deleted by time-based retention. Existing topics are left as they are.
     *
     * <p>Returns only once every new partition answers a list-offsets request on its leader (waiting up to 30 s). A
     * broker publishes a new topic's metadata a moment before it can append to it, and an idempotent producer that
     * writes in that moment can have its first batch rejected while later ones are appended; the first batch then
     * fails with out-of-order sequence errors until it expires (KAFKA-15591). Waiting here closes that window for
     * callers that create topics and produce at once.
     */
    public static void ensure(String bootstrap, Collection<String> topics, int partitions, short replication) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication).configs(Map.of("retention.ms", "-1")));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                awaitServed(admin, missing);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics + " on " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void awaitServed(Admin admin, List<NewTopic> created) throws InterruptedException,
            ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (NewTopic t : created) {
            for (int p = 0; p < t.numPartitions(); p++) {
                partitions.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + SERVED_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                // an unknown topic or a partition without its leader yet is retriable; anything else is not
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
        }
    }
}
