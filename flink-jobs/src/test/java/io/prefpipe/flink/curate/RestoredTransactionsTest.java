package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

class RestoredTransactionsTest {

    private static TransactionListing listing(String id, TransactionState state) {
        return new TransactionListing(id, 1L, state);
    }

    @Test
    void of_listings_sortsTheCheckpointsTransactionsOfTheJobByState() {
        RestoredTransactions t = RestoredTransactions.of(List.of(
                listing("loop-curation-pairs-1-7", TransactionState.COMPLETE_COMMIT),
                listing("loop-curation-pairs-0-7", TransactionState.COMPLETE_COMMIT),
                listing("loop-curation-dlq-0-7", TransactionState.ONGOING),
                listing("loop-curation-annotators-0-7", TransactionState.PREPARE_COMMIT),
                listing("loop-curation-pairs-2-7", TransactionState.COMPLETE_ABORT),
                listing("loop-curation-pairs-3-7", TransactionState.EMPTY)), "loop-curation", 7);

        assertThat(t.checkpointId()).isEqualTo(7);
        assertThat(t.committed()).containsExactly("loop-curation-pairs-0-7", "loop-curation-pairs-1-7");
        assertThat(t.open()).containsExactly("loop-curation-annotators-0-7", "loop-curation-dlq-0-7");
        assertThat(t.aborted()).containsExactly("loop-curation-pairs-2-7");
    }

    @Test
    void of_listings_ignoresOtherCheckpointsAndOtherJobs() {
        RestoredTransactions t = RestoredTransactions.of(List.of(
                listing("loop-curation-pairs-0-17", TransactionState.COMPLETE_ABORT),
                listing("loop-curation-pairs-0-6", TransactionState.COMPLETE_ABORT),
                listing("loop-curation2-pairs-0-7", TransactionState.COMPLETE_ABORT),
                listing("other-loop-curation-pairs-0-7", TransactionState.COMPLETE_ABORT)), "loop-curation", 7);

        assertThat(t.committed()).isEmpty();
        assertThat(t.open()).isEmpty();
        assertThat(t.aborted()).isEmpty();
    }
}
