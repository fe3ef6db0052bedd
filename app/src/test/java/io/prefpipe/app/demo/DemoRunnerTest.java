package io.prefpipe.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.PreferenceExample;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoRunnerTest {
    @Test
    void labelAccuracy_isTheShareOfPairsWhoseChosenHasTheHigherTrueReward() {
        SyntheticWorld world = new SyntheticWorld();
        String prompt = "how do i bake bread";
        List<PreferenceExample> pairs = List.of(
                new PreferenceExample("p1", prompt, "boil stir salt", "whatever stupid no", 1.0),
                new PreferenceExample("p2", prompt, "whatever stupid no", "boil stir salt", 1.0),
                new PreferenceExample("p3", prompt, "oven taste butter", "boil stir salt", 1.0),
                new PreferenceExample("p4", prompt, "boil simmer taste", "whatever no dunno", 1.0));
        // p3 ties (both all answer words): counts half
        assertThat(DemoRunner.labelAccuracy(world, pairs)).isEqualTo((1 + 0 + 0.5 + 1) / 4.0);
    }
}
