package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrowdDatasetTest {

    @Test
    void build_interleavedItems_groupsJudgementsByItemKeepingTheirOrder() {
        CrowdDataset data = CrowdDataset.builder()
                .add("q1", "w1", "yes").add("q2", "w1", "no").add("q1", "w2", "no").add("q2", "w3", "yes")
                .build();
        assertThat(data.items().ids()).containsExactly("q1", "q2");
        assertThat(data.annotators().ids()).containsExactly("w1", "w2", "w3");
        assertThat(data.classes().ids()).containsExactly("yes", "no");
        assertThat(data.itemStart(0)).isZero();
        assertThat(data.itemEnd(0)).isEqualTo(2);
        assertThat(data.annotator(0)).isEqualTo(0);
        assertThat(data.annotator(1)).isEqualTo(1);
        assertThat(data.label(1)).isEqualTo(1);
        assertThat(data.itemStart(1)).isEqualTo(2);
        assertThat(data.itemEnd(1)).isEqualTo(4);
        assertThat(data.annotatorJudgementCount(0)).isEqualTo(2);
        assertThat(List.of(data.annotatorJudgement(0, 0), data.annotatorJudgement(0, 1)))
                .extracting(data::item).containsExactly(0, 1);
        assertThat(data.hasPositions()).isFalse();
        assertThat(data.shownFirst(0)).isEqualTo(CrowdDataset.UNKNOWN_POSITION);
    }

    @Test
    void setClasses_fixesOrderAndRejectsOtherLabelsNamingTheField() {
        CrowdDataset.Builder b = CrowdDataset.builder().setClasses(List.of("FIRST", "SECOND"));
        b.add("p", "a", "SECOND");
        assertThat(b.build().classes().ids()).containsExactly("FIRST", "SECOND");
        assertThatThrownBy(() -> CrowdDataset.builder().setClasses(List.of("FIRST", "SECOND")).add("p", "a", "TIE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 'TIE'");
    }

    @Test
    void add_withShownFirst_recordsItAndMarksEarlierJudgementsUnknown() {
        CrowdDataset data = CrowdDataset.builder().setClasses(List.of("FIRST", "SECOND"))
                .add("p", "a", "FIRST").add("p", "b", "FIRST", "SECOND").build();
        assertThat(data.hasPositions()).isTrue();
        assertThat(data.shownFirst(0)).isEqualTo(CrowdDataset.UNKNOWN_POSITION);
        assertThat(data.shownFirst(1)).isEqualTo(1);
    }

    @Test
    void build_singleClass_isRefused() {
        assertThatThrownBy(() -> CrowdDataset.builder().add("q", "w", "yes").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 2 classes");
    }

    @Test
    void ofIndices_outOfRangeAnnotator_namesTheJudgementAndField() {
        assertThatThrownBy(() -> CrowdDataset.ofIndices(IdIndex.range(2), IdIndex.range(2), IdIndex.range(2),
                new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 1}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("judgement 1: annotator index 2 is out of range [0, 2)");
    }

    @Test
    void ofIndices_aMillionJudgements_indexesThemAll() {
        int n = 1_000_000;
        int[] item = new int[n];
        int[] annotator = new int[n];
        int[] label = new int[n];
        for (int j = 0; j < n; j++) {
            item[j] = (j * 7) % 100_000;
            annotator[j] = j % 5_000;
            label[j] = j & 1;
        }
        CrowdDataset data = CrowdDataset.ofIndices(IdIndex.range(100_000), IdIndex.range(5_000), IdIndex.range(2),
                item, annotator, label, null);
        assertThat(data.numJudgements()).isEqualTo(n);
        assertThat(data.itemEnd(99_999)).isEqualTo(n);
        assertThat(data.annotatorJudgementCount(4_999)).isEqualTo(200);
        for (int i = 0; i < 100; i++) {
            assertThat(data.itemEnd(i) - data.itemStart(i)).isEqualTo(10);
        }
    }

    @Test
    void builder_manyStringIds_assignsDenseIntsInFirstSeenOrder() {
        CrowdDataset.Builder b = CrowdDataset.builder();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            items.add("item-" + i);
            b.add("item-" + i, "w" + (i % 7), i % 3 == 0 ? "a" : "b");
        }
        CrowdDataset data = b.build();
        assertThat(data.items().ids()).isEqualTo(items);
        assertThat(data.numAnnotators()).isEqualTo(7);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }
}
