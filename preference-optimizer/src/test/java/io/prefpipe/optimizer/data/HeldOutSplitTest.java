package io.prefpipe.optimizer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeldOutSplitTest {

    static List<PreferenceExample> pairs(int n) {
        return IntStream.range(0, n).mapToObj(i -> PreferenceExample.of("p" + i, "x" + i, "good", "bad")).toList();
    }

    @Test
    void of_holdsOutTheCeilingOfTheFraction() {
        // ⌈0.1 · 10⌉ = 1, ⌈0.25 · 10⌉ = ⌈2.5⌉ = 3, 0.7 · 10 = 7.000000000000001 in doubles but ⌈⌉ must give 7
        assertThat(HeldOutSplit.of(pairs(10), 0.1, 1).heldOut()).hasSize(1);
        assertThat(HeldOutSplit.of(pairs(10), 0.25, 1).heldOut()).hasSize(3);
        assertThat(HeldOutSplit.of(pairs(10), 0.7, 1).heldOut()).hasSize(7);
        assertThat(HeldOutSplit.of(pairs(3), 0.1, 1).heldOut()).hasSize(1);
        HeldOutSplit<PreferenceExample> none = HeldOutSplit.of(pairs(10), 0, 1);
        assertThat(none.heldOut()).isEmpty();
        assertThat(none.train()).isEqualTo(pairs(10));
    }

    @Test
    void of_partitionsInInputOrder_deterministicBySeed() {
        List<PreferenceExample> all = pairs(100);
        HeldOutSplit<PreferenceExample> split = HeldOutSplit.of(all, 0.1, 7);
        assertThat(split.heldOut()).hasSize(10).doesNotContainAnyElementsOf(split.train());
        List<PreferenceExample> union = new ArrayList<>(split.train());
        union.addAll(split.heldOut());
        assertThat(union).containsExactlyInAnyOrderElementsOf(all);
        assertThat(split.train()).isSortedAccordingTo((a, b) -> all.indexOf(a) - all.indexOf(b));
        assertThat(split.heldOut()).isSortedAccordingTo((a, b) -> all.indexOf(a) - all.indexOf(b));

        assertThat(HeldOutSplit.of(all, 0.1, 7)).isEqualTo(split);
        assertThat(HeldOutSplit.of(all, 0.1, 8).heldOut()).isNotEqualTo(split.heldOut());
    }

    @Test
    void of_badArguments_areRefused() {
        assertThatThrownBy(() -> HeldOutSplit.of(pairs(10), 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heldOutFraction");
        assertThatThrownBy(() -> HeldOutSplit.of(pairs(10), -0.1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heldOutFraction");
        // ⌈0.95 · 10⌉ = 10 would leave nothing to train on
        assertThatThrownBy(() -> HeldOutSplit.of(pairs(10), 0.95, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none to train on");
        assertThatThrownBy(() -> HeldOutSplit.of(List.of(), 0.1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no examples to split");
    }
}
