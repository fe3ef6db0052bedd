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
    void byName_unknown_listsTheAcceptedNames() {
        assertThatThrownBy(() -> CrowdAggregators.byName("em"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ds").hasMessageContaining("'em'");
    }
}
