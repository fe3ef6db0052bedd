package io.prefpipe.ingestion.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates prefpipe's topics where they do not exist yet. */
public final class Topics {
    private Topics() {}

    /**
     * Creates each missing topic with {@code partitions} partitions and unlimited retention, so that feedback with old
     * event times is never deleted by time-based retention. Existing topics are left as they are.
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
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics + " on " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
