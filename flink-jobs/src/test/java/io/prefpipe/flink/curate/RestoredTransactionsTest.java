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

    @Test
    void report_committedOnly_explainsTheFencedErrorAndWarnsOfNothing() {
        List<String> report = new RestoredTransactions(7, List.of("p-pairs-0-7"), List.of(), List.of()).report();

        assertThat(report).hasSize(2);
        assertThat(report.get(0)).isEqualTo("Kafka transactions of checkpoint 7: 1 committed before the restart,"
                + " 0 still open (the job commits them), 0 aborted");
        assertThat(report.get(1)).contains("[p-pairs-0-7]", "fenced", "expected and loses nothing");
    }

    @Test
    void report_aborted_warnsNamingThem() {
        List<String> report = new RestoredTransactions(7, List.of(), List.of("p-dlq-0-7"), List.of("p-pairs-1-7"))
                .report();

        assertThat(report).hasSize(2);
        assertThat(report.get(0)).contains("0 committed", "1 still open", "1 aborted");
        assertThat(report.get(1)).startsWith("WARNING: [p-pairs-1-7] were aborted");
    }
}
