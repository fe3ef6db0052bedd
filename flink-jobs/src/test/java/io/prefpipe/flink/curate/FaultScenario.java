package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.ab;
import static io.prefpipe.flink.curate.TestEvents.choice;
import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded stream for the fault tests: {@code comparisons} comparisons of three pairwise votes each (so majority vote
 * always decides, and with {@code emitAfterVotes = 3} each is curated as soon as its third vote arrives), plus
 * redelivered copies of some events and some messages that are not Avro, shuffled. It knows what a correct run must
 * produce: every message counted once, one pair per comparison.
 *
 * @param messages the Kafka message values, in production order
 * @param expectedPairIds the pair id each comparison must produce
 * @param duplicates redelivered copies, to be filtered as {@code duplicate}
 * @param garbage non-Avro messages, to be dead-lettered as {@code invalid_avro}
 */
record FaultScenario(List<byte[]> messages, Set<String> expectedPairIds, int duplicates, int garbage) {
    static final int VOTES = 3;

    static FaultScenario generate(long seed, int comparisons, int duplicates, int garbage) {
        Random random = new Random(seed);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<FeedbackEvent> events = new ArrayList<>();
        Set<String> pairIds = new TreeSet<>();
        for (int c = 0; c < comparisons; c++) {
            String comparison = "c" + c;
            int forA = 0;
            for (int v = 0; v < VOTES; v++) {
                String preferred = random.nextDouble() < 0.7 ? "a" : "b";
                forA += preferred.equals("a") ? 1 : 0;
                events.add(choice(comparison + "-e" + v, comparison, "Prompt " + c + "?", ab(), preferred, T0));
            }
            pairIds.add(forA >= 2 ? ComparisonCurator.pairId(comparison, "a", "b")
                    : ComparisonCurator.pairId(comparison, "b", "a"));
        }
        Collections.shuffle(events, random);
        for (int i = 0; i < events.size(); i++) {
            events.get(i).setEventTime(T0.plusSeconds(i));
        }
        List<byte[]> messages = new ArrayList<>();
        events.forEach(e -> messages.add(codec.encode(e)));
        for (int d = 0; d < duplicates; d++) {
            messages.add(codec.encode(events.get(random.nextInt(events.size()))));
        }
        for (int g = 0; g < garbage; g++) {
            messages.add(("not avro " + g).getBytes(StandardCharsets.UTF_8));
        }
        // a copy may come before its original: the first delivery of an event id passes, the other is the duplicate
        Collections.shuffle(messages, random);
        return new FaultScenario(List.copyOf(messages), Collections.unmodifiableSet(pairIds), duplicates, garbage);
    }

    int comparisons() {
        return expectedPairIds.size();
    }

    /**
     * The reconciliation and exactly-once assertions every fault test ends with: every message counted once with
     * the fate it must have, and every pair once in the committed Parquet files and once on the pairs topic.
     */
    void assertExactlyOnce(Counts counts, Path snapshotDir, List<PreferencePair> pairsTopic) throws Exception {
        assertThat(counts.reconciles()).as("events in = curated + filtered + dead-lettered: %s", counts).isTrue();
        assertThat(counts.eventsIn()).isEqualTo(messages.size());
        assertThat(counts.openAtStart()).isZero();
        assertThat(counts.openAtEnd()).as("events waiting in undecided comparisons").isZero();
        assertThat(counts.curatedEvents()).isEqualTo((long) VOTES * comparisons());
        assertThat(counts.filtered()).isEqualTo(Map.of("duplicate", (long) duplicates));
        assertThat(counts.deadLettered()).isEqualTo(Map.of("invalid_avro", (long) garbage));
        assertThat(counts.pairs()).isEqualTo(comparisons());

        List<PreferencePair> parquet = new ArrayList<>();
        // the job's own files; cuts (in a sub-folder) link to the same ones
        for (SnapshotFile f : SnapshotFiles.committed(snapshotDir).stream().filter(f -> !f.path().contains("/"))
                .toList()) {
            parquet.addAll(TestPairs.read(snapshotDir.resolve(f.path())));
        }
        assertThat(parquet).extracting(PreferencePair::getPairId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedPairIds);
        assertThat(pairsTopic).extracting(PreferencePair::getPairId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedPairIds);
    }
}
