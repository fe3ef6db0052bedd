package io.prefpipe.labeling.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PairwiseVoteWindowTest {

    /** A vote cast in a comparison, as the window receives it. */
    private record Cast(String comparisonId, PairwiseVote vote) {}

    /** Votes whose comparisons interleave and recur, over a few response ids, with and without display order. */
    private static List<Cast> stream(long seed, int n, boolean positions) {
        Random random = new Random(seed);
        String[] responses = {"a", "b", "c", "x:y", "z\\"};
        List<Cast> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String comparison = "c" + random.nextInt(Math.max(1, n / 4));
            int first = random.nextInt(responses.length);
            int second = (first + 1 + random.nextInt(responses.length - 1)) % responses.length;
            ShownFirst shown = !positions ? ShownFirst.UNKNOWN : ShownFirst.values()[random.nextInt(3)];
            out.add(new Cast(comparison, new PairwiseVote("e" + i, "annotator-" + random.nextInt(7),
                    ResponsePair.of(responses[first], responses[second]),
                    random.nextBoolean() ? Outcome.FIRST : Outcome.SECOND, shown)));
        }
        return out;
    }

    /**
     * What the window must equal: the last {@code capacity} votes grouped by comparison id, each comparison's in
     * canonical order (item key, annotator, label, display order).
     */
    private static CrowdDataset expected(List<Cast> casts, int capacity) {
        Map<String, List<PairwiseVote>> byComparison = new TreeMap<>();
        for (Cast c : casts.subList(Math.max(0, casts.size() - capacity), casts.size())) {
            byComparison.computeIfAbsent(c.comparisonId(), k -> new ArrayList<>()).add(c.vote());
        }
        byComparison.forEach((comparison, votes) -> votes.sort(
                Comparator.<PairwiseVote, String>comparing(v -> PairwiseDatasets.itemKey(comparison, v.pair()))
                        .thenComparing(PairwiseVote::annotatorId)
                        .thenComparing(v -> v.outcome() == Outcome.FIRST ? 0 : 1)
                        .thenComparing(v -> v.shownFirst() == ShownFirst.FIRST ? 0 : v.shownFirst() == ShownFirst.SECOND ? 1 : -1)));
        return PairwiseDatasets.fromComparisons(byComparison).dataset();
    }

    private static void assertSameDataset(CrowdDataset actual, CrowdDataset expected) {
        assertThat(actual.items()).isEqualTo(expected.items());
        assertThat(actual.annotators()).isEqualTo(expected.annotators());
        assertThat(actual.classes()).isEqualTo(expected.classes());
        assertThat(actual.numJudgements()).isEqualTo(expected.numJudgements());
        assertThat(actual.hasPositions()).isEqualTo(expected.hasPositions());
        for (int j = 0; j < expected.numJudgements(); j++) {
            assertThat(new int[] {actual.item(j), actual.annotator(j), actual.label(j), actual.shownFirst(j)})
                    .as("judgement %d", j)
                    .containsExactly(expected.item(j), expected.annotator(j), expected.label(j),
                            expected.shownFirst(j));
        }
    }

    private static PairwiseVoteWindow fill(int capacity, List<Cast> casts) {
        PairwiseVoteWindow window = new PairwiseVoteWindow(capacity);
        casts.forEach(c -> window.add(c.comparisonId(), c.vote()));
        return window;
    }

    @Test
    void dataset_isTheDatasetOfTheLastVotesByComparison_whileFillingAndSliding() {
        List<Cast> casts = stream(7, 5_000, true);
        PairwiseVoteWindow window = new PairwiseVoteWindow(1_500);
        for (int i = 0; i < casts.size(); i++) {
            window.add(casts.get(i).comparisonId(), casts.get(i).vote());
            if (i % 337 == 0 || i == casts.size() - 1) {
                assertSameDataset(window.dataset(), expected(casts.subList(0, i + 1), 1_500));
            }
        }
        assertThat(window.size()).isEqualTo(1_500);
        assertThat(window.received()).isEqualTo(5_000);
    }

    @Test
    void dataset_afterFarMoreNewComparisonsThanTheWindowHolds_isTheDatasetOfTheLastVotes() {
        // between two datasets the window sees many times its size in new comparison ids, so it sorts afresh
        List<Cast> casts = stream(11, 20_000, true);
        PairwiseVoteWindow window = new PairwiseVoteWindow(200);
        for (int i = 0; i < casts.size(); i++) {
            window.add(casts.get(i).comparisonId(), casts.get(i).vote());
            if (i == 100 || i == 9_000 || i == 9_050 || i == casts.size() - 1) {
                assertSameDataset(window.dataset(), expected(casts.subList(0, i + 1), 200));
            }
        }
    }

    @Test
    void dataset_withIdsThatLeaveTheWindowAndComeBack_isTheDatasetOfTheLastVotes() {
        // Annotators take turns in runs of 60 votes: one leaves the window of 50 ten votes before it votes again, both
        // between two datasets 30 votes apart.
        List<Cast> casts = new ArrayList<>();
        for (Cast c : stream(13, 3_000, true)) {
            PairwiseVote v = c.vote();
            casts.add(new Cast(c.comparisonId(), new PairwiseVote(v.eventId(),
                    "annotator-" + (casts.size() / 60) % 2 + "-" + casts.size() % 3, v.pair(), v.outcome(),
                    v.shownFirst())));
        }
        PairwiseVoteWindow window = new PairwiseVoteWindow(50);
        for (int i = 0; i < casts.size(); i++) {
            window.add(casts.get(i).comparisonId(), casts.get(i).vote());
            if (i % 30 == 10 || i == casts.size() - 1) {
                assertSameDataset(window.dataset(), expected(casts.subList(0, i + 1), 50));
            }
        }
    }

    @Test
    void dataset_ofTheSameVotesInAnotherArrivalOrder_isTheSame() {
        List<Cast> casts = stream(11, 2_000, true);
        List<Cast> shuffled = new ArrayList<>(casts);
        Collections.shuffle(shuffled, new Random(3));

        assertSameDataset(fill(2_000, shuffled).dataset(), fill(2_000, casts).dataset());
        assertSameDataset(fill(2_000, casts).dataset(), expected(casts, 2_000));
    }

    @Test
    void dataset_withoutDisplayOrder_recordsNoPositions() {
        List<Cast> casts = stream(8, 300, false);
        CrowdDataset data = fill(100, casts).dataset();
        assertThat(data.hasPositions()).isFalse();
        assertSameDataset(data, expected(casts, 100));
    }

    @Test
    void writeTo_readFrom_restoresTheWindow_whichThenSlidesOnAsTheOriginal() throws IOException {
        List<Cast> casts = stream(9, 3_000, true);
        PairwiseVoteWindow original = fill(1_000, casts.subList(0, 2_000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.writeTo(new DataOutputStream(bytes));
        PairwiseVoteWindow restored = PairwiseVoteWindow.readFrom(new DataInputStream(
                new ByteArrayInputStream(bytes.toByteArray())), 1_000);

        assertThat(restored.received()).isEqualTo(2_000);
        assertThat(restored.size()).isEqualTo(1_000);
        assertThat(restored.capacity()).isEqualTo(1_000);
        assertSameDataset(restored.dataset(), original.dataset());
        casts.subList(2_000, 3_000).forEach(c -> restored.add(c.comparisonId(), c.vote()));
        assertSameDataset(restored.dataset(), expected(casts, 1_000));
    }

    @Test
    void readFrom_intoAnotherCapacity_keepsTheNewestVotesThatFit() throws IOException {
        List<Cast> casts = stream(11, 900, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fill(600, casts).writeTo(new DataOutputStream(bytes));
        for (int capacity : new int[] {250, 2_000}) {
            PairwiseVoteWindow restored = PairwiseVoteWindow.readFrom(new DataInputStream(
                    new ByteArrayInputStream(bytes.toByteArray())), capacity);
            assertThat(restored.received()).isEqualTo(900);
            assertThat(restored.capacity()).isEqualTo(capacity);
            assertSameDataset(restored.dataset(), expected(casts, Math.min(capacity, 600)));
        }
    }

    @Test
    void readFrom_truncatedOrForeignBytes_throwsIOException() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fill(50, stream(10, 80, true)).writeTo(new DataOutputStream(bytes));
        byte[] truncated = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        assertThatThrownBy(() -> PairwiseVoteWindow.readFrom(new DataInputStream(
                new ByteArrayInputStream(truncated)), 50)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PairwiseVoteWindow.readFrom(new DataInputStream(
                new ByteArrayInputStream(new byte[] {0, 0, 0, 9})), 50)).isInstanceOf(IOException.class)
                .hasMessageContaining("format");
    }

    @Test
    void add_tie_isRejected() {
        PairwiseVoteWindow window = new PairwiseVoteWindow(10);
        assertThatThrownBy(() -> window.add("c1", new PairwiseVote("e1", "a", ResponsePair.of("r1", "r2"),
                Outcome.TIE, ShownFirst.UNKNOWN))).isInstanceOf(IllegalArgumentException.class);
        assertThat(window.received()).isZero();
    }

    @Test
    void new_capacityBeyondTheSortKeysRanks_isRejected() {
        assertThat(new PairwiseVoteWindow(PairwiseVoteWindow.MAX_CAPACITY).capacity())
                .isEqualTo(PairwiseVoteWindow.MAX_CAPACITY);
        assertThatThrownBy(() -> new PairwiseVoteWindow(PairwiseVoteWindow.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }
}
