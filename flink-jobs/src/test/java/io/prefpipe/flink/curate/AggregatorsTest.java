package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregatorsTest {

    @Test
    void create_everyKnownName_returnsTheAggregatorOfThatName() {
        assertThat(Aggregators.names()).isNotEmpty().allSatisfy(name ->
                assertThat(Aggregators.create(name).name()).isEqualTo(name));
    }

    @Test
    void create_unknownName_listsTheKnownOnes() {
        assertThatThrownBy(() -> Aggregators.create("ds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aggregator 'ds' is unknown; known: [mv]");
    }
}
