package io.prefpipe.flink.curate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * What became of the Kafka transactions a curation job's sinks had pre-committed in the checkpoint it is about to
 * resume from, as the brokers know them before the job starts.
 *
 * <p>The Kafka sink commits these transactions again when it restores the checkpoint, resuming each at the producer id
 * and epoch the checkpoint stored. Usually the previous run committed them already, right after the checkpoint
 * completed. On brokers with transactions v2 (the default from Kafka 4.0) a commit bumps the producer epoch, and the
 * resumed producer ends the transaction the v1 way at its old epoch (the connector, 5.0, does not store that the
 * transaction used v2), so the broker refuses the second commit as fenced, and the connector logs an ERROR that this
 * "most likely signals data loss". For a {@link #committed} transaction it loses nothing; only an {@link #aborted} one
 * lost its records.
 *
 * @param checkpointId the checkpoint's id
 * @param committed ids of the transactions already committed: the sink's fenced ERROR about them is expected
 * @param open ids of the transactions still open: the restored sink commits them
 * @param aborted ids of the transactions aborted (by the transaction timeout, or a writer with the same id): their
 *     records are missing from the topics
 */
public record RestoredTransactions(long checkpointId, List<String> committed, List<String> open,
        List<String> aborted) {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT);
    private static final Set<TransactionState> ABORTED = Set.of(TransactionState.PREPARE_ABORT,
            TransactionState.COMPLETE_ABORT);

    public RestoredTransactions {
        committed = List.copyOf(committed);
        open = List.copyOf(open);
        aborted = List.copyOf(aborted);
    }

    /**
     * The transactions of checkpoint {@code checkpointId} of the job whose sinks' transactional ids start with
     * {@code transactionalIdPrefix} (see {@link CurationJobConfig#transactionalIdPrefix()}). Transactions that never
     * held a record are in none of the lists: the sink does not commit them.
     *
     * @throws IOException if the brokers' transactions cannot be listed
     */
    public static RestoredTransactions of(String bootstrapServers, String transactionalIdPrefix, long checkpointId)
            throws IOException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return of(admin.listTransactions().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS), transactionalIdPrefix,
                    checkpointId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing the Kafka transactions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot list the Kafka transactions: " + e, e);
        }
    }

    /**
     * {@link #of(String, String, long)} of {@code listings}. The sinks' ids are
     * {@code <prefix>-<sink>-<subtask>-<checkpoint id>} (see {@link CurationTopology}), one per checkpoint.
     */
    static RestoredTransactions of(Collection<TransactionListing> listings, String transactionalIdPrefix,
            long checkpointId) {
        List<TransactionListing> ofCheckpoint = listings.stream()
                .filter(t -> t.transactionalId().startsWith(transactionalIdPrefix + "-")
                        && t.transactionalId().endsWith("-" + checkpointId))
                .toList();
        return new RestoredTransactions(checkpointId, ids(ofCheckpoint, Set.of(TransactionState.COMPLETE_COMMIT)),
                ids(ofCheckpoint, OPEN), ids(ofCheckpoint, ABORTED));
    }

    /**
     * What this means for the resumed job, one line each, for a console or a log: the counts, then why the sink's
     * fenced ERROR about the committed transactions is expected, then a warning naming the aborted ones, if any.
     */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Kafka transactions of checkpoint %d: %d committed before the restart,"
                + " %d still open (the job commits them), %d aborted", checkpointId, committed.size(), open.size(),
                aborted.size()));
        if (!committed.isEmpty()) {
            lines.add("the job commits " + committed + " again at their old producer epoch, which Kafka refuses as"
                    + " fenced: the Kafka committer's ERROR that their producer is already fenced is expected and"
                    + " loses nothing");
        }
        if (!aborted.isEmpty()) {
            lines.add("WARNING: " + aborted + " were aborted; what they held is missing from the Kafka topics (not"
                    + " from the Parquet files)");
        }
        return lines;
    }

    private static List<String> ids(List<TransactionListing> listings, Set<TransactionState> states) {
        return listings.stream().filter(t -> states.contains(t.state())).map(TransactionListing::transactionalId)
                .sorted().toList();
    }
}
