package io.prefpipe.ingestion.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.schema.AnnotatorKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedAnnotatorTest {
    private static double firstShownRate(AnnotatorBehaviour behaviour, double rate, double pFirstBetter) {
        SimulatedAnnotator a = new SimulatedAnnotator("a", behaviour, AnnotatorKind.HUMAN, rate);
        Random random = new Random(42);
        int first = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            if (a.prefersFirstShown(pFirstBetter, random)) {
                first++;
            }
        }
        return (double) first / n;
    }

    @Test
    void prefersFirstShown_eachBehaviourAsDeclared() {
        assertThat(firstShownRate(AnnotatorBehaviour.ACCURATE, 0, 0.9)).isCloseTo(0.9, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.NOISY, 0.2, 1.0)).isCloseTo(0.8, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.NOISY, 0.2, 0.7)).isCloseTo(0.7 * 0.8 + 0.3 * 0.2, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.SPAMMER, 0, 1.0)).isCloseTo(0.5, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.ADVERSARIAL, 0.9, 1.0)).isCloseTo(0.1, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.POSITION_BIASED, 0.7, 0.0)).isCloseTo(0.7, within(0.01));
        assertThat(firstShownRate(AnnotatorBehaviour.POSITION_BIASED, 0.7, 1.0)).isEqualTo(1.0);
    }

    @Test
    void constructor_rateOutsideItsBehaviour_isRejected() {
        assertThatThrownBy(() -> new SimulatedAnnotator("a", AnnotatorBehaviour.SPAMMER, AnnotatorKind.HUMAN, 0.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SPAMMER");
        assertThatThrownBy(() -> new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 1, 1.5))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 0, 0.1))
                .hasMessageContaining("share");
    }
}
