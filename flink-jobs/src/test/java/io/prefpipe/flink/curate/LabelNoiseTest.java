package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.labeling.crowd.FlipRateEstimate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelNoiseTest {
    private static final LabelNoise V1 = new LabelNoise("ds", 1, 0.4, 0.2, 100, 40);
    private static final LabelNoise V2 = new LabelNoise("ds", 2, 0.35, 0.15, 200, 80);

    @Test
    void latest_keepsTheNewestVersionWhateverTheOrder() {
        LatestLabelNoise a = new LatestLabelNoise();
        a.add(V2);
        a.add(V1);
        assertThat(a.getLocalValue()).isEqualTo(V2);

        LatestLabelNoise b = new LatestLabelNoise();
        b.add(V1);
        b.merge(a);
        assertThat(b.getLocalValue()).isEqualTo(V2);
        assertThat(b.clone().getLocalValue()).isEqualTo(V2);
        b.resetLocal();
        assertThat(b.getLocalValue()).isNull();
    }

    @Test
    void properties_nameEveryFigureUnderLabelNoise() {
        LabelNoise n = LabelNoise.of("ds", 4, new FlipRateEstimate(0.3625, 0.16, 15000, 2980));

        assertThat(n.properties()).containsExactly(
                Map.entry("label_noise.method", "ds"),
                Map.entry("label_noise.judgement_flip_rate", "0.3625"),
                Map.entry("label_noise.decided_error_rate", "0.16"),
                Map.entry("label_noise.judgements", "15000"),
                Map.entry("label_noise.decided_labels", "2980"),
                Map.entry("label_noise.model_version", "4"));
    }

    @Test
    void in_findsTheEstimateAmongOtherAccumulatorsOrNothing() {
        assertThat(LabelNoise.in(Map.of("prefpipe.pairs", 3L, LabelNoise.ACCUMULATOR, V1))).contains(V1);
        assertThat(LabelNoise.in(Map.of("prefpipe.pairs", 3L))).isEmpty();
    }
}
