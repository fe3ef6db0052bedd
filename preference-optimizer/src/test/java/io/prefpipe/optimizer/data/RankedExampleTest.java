package io.prefpipe.optimizer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class RankedExampleTest {

    @Test
    void pairs_everyStrictlyBetterResponseOverEveryWorseOne_tiesGiveNoPair() {
        RankedExample list = new RankedExample("l", "x", List.of("a", "b", "c"), List.of(2.0, 0.0, 2.0));
        assertThat(list.pairs()).extracting(PreferenceExample::chosen, PreferenceExample::rejected)
                .containsExactly(Tuple.tuple("a", "b"),
                        Tuple.tuple("c", "b"));
    }

    @Test
    void fromPairs_gradesByWinsPerPrompt_cutsLongLists_dropsListsWithoutPreference() {
        List<PreferenceExample> pairs = List.of(
                PreferenceExample.of("1", "x", "a", "b"),
                PreferenceExample.of("2", "x", "a", "c"),
                PreferenceExample.of("3", "x", "b", "c"),
                PreferenceExample.of("4", "y", "d", "e"),
                PreferenceExample.of("5", "x", "f", "g"));
        // prompt x: a 2 wins, b 1, c 0, f 1, g 0 → chunks of 3: [a, b, c] and [f, g]; prompt y: [d, e]; each graded by
        // its wins over the most wins in its list
        List<RankedExample> lists = RankedExample.fromPairs(pairs, 3);
        assertThat(lists).extracting(RankedExample::prompt, RankedExample::responses, RankedExample::labels)
                .containsExactly(
                        Tuple.tuple("x", List.of("a", "b", "c"), List.of(1.0, 0.5, 0.0)),
                        Tuple.tuple("x", List.of("f", "g"), List.of(1.0, 0.0)),
                        Tuple.tuple("y", List.of("d", "e"), List.of(1.0, 0.0)));
    }

    @Test
    void constructor_labelsNotMatchingResponses_isRefusedNamingTheField() {
        assertThatThrownBy(() -> new RankedExample("l", "x", List.of("a", "b"), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
        assertThatThrownBy(() -> new RankedExample("l", "x", List.of("a"), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responses");
    }
}
