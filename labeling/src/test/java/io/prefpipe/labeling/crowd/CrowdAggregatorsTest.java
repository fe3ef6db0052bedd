package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrowdAggregatorsTest {
    @Test
    void byName_everyName_givesTheMethodOfThatName() {
        for (String name : CrowdAggregators.names()) {
            assertThat(CrowdAggregators.byName(name).name()).isEqualTo(name);
        }
        assertThat(CrowdAggregators.names()).contains("mv", "wawa", "ds", "glad");
    }

    @Test
    void buildPositionAware_takesTheDawidSkeneSettings() {
        CrowdDataset.Builder b = CrowdDataset.builder();
        for (int i = 0; i < 20; i++) {
            b.add("item" + i, "a", "x", "x");
            b.add("item" + i, "b", i % 3 == 0 ? "y" : "x", "y");
        }
        CrowdDataset data = b.build();
        assertThat(DawidSkeneAggregator.builder().setMaxIterations(1).buildPositionAware().fit(data).iterations())
                .isEqualTo(1);
        assertThat(new PositionAwareDawidSkene().fit(data).iterations()).isGreaterThan(1);
    }

    @Test
    void byName_unknown_listsTheAcceptedNames() {
        assertThatThrownBy(() -> CrowdAggregators.byName("em"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ds").hasMessageContaining("'em'");
    }
}
