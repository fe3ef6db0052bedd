package io.prefpipe.ingestion.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticWorldTest {
    private static final String PROMPT = "how do i bake bread";
    private final SyntheticWorld world = new SyntheticWorld();

    @Test
    void reward_ranksAGoodAnswerAboveABadOne() {
        double good = world.reward(PROMPT, "stir salt then taste");
        double generic = world.reward(PROMPT, "try it slowly and carefully");
        double offTopic = world.reward(PROMPT, "pack a map and ticket");
        double rude = world.reward(PROMPT, "whatever no stupid");
        assertThat(good).isCloseTo(1.5 * (2 + 2 + 0.8 + 2) / 4, within(1e-9));
        assertThat(good).isGreaterThan(generic);
        assertThat(generic).isGreaterThan(offTopic);
        assertThat(offTopic).isGreaterThan(rude);
        assertThat(world.reward(PROMPT, "boil stir salt oven simmer")).isEqualTo(3.0);
    }

    @Test
    void reward_dependsOnThePromptsTopic() {
        assertThat(world.reward("pack bags tips", "map ticket passport")).isEqualTo(3.0);
        assertThat(world.reward(PROMPT, "map ticket passport")).isEqualTo(-1.5);
        assertThat(world.reward("what is love", "map ticket passport")).isEqualTo(-1.5);
    }

    @Test
    void reward_garbageEmptyRepeatedAndOverlong_scoreLow() {
        List<Double> base = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            String p = world.samplePrompt(random);
            base.add(world.reward(p, world.sampleResponse(p, random)));
        }
        Collections.sort(base);
        double firstPercentile = base.get(100);
        byte[] bytes = new byte[40];
        random.nextBytes(bytes);
        for (String garbage : List.of(new String(bytes, StandardCharsets.ISO_8859_1), "xq#@ zzkf", "Stir Salt",
                "stir\u00a0salt", "bread!!! \u0000")) {
            assertThat(world.reward(PROMPT, garbage)).as(garbage).isLessThanOrEqualTo(-4.5)
                    .isLessThan(firstPercentile);
        }
        assertThat(world.reward(PROMPT, "")).isEqualTo(-6.0);
        assertThat(world.reward(PROMPT, " \n\t ")).isEqualTo(-6.0);
        assertThat(world.reward(PROMPT, "stir stir stir stir")).isLessThan(world.reward(PROMPT, "stir the oven"));
        String overlong = "boil stir salt oven simmer taste butter then first gently slowly daily always";
        assertThat(world.reward(PROMPT, overlong)).isLessThan(world.reward(PROMPT, "boil stir salt"));
        assertThat(world.reward(PROMPT, "salt")).isLessThan(world.reward(PROMPT, "boil stir salt"));
    }

    @Test
    void truePreferenceProbability_isBradleyTerryAndInformative() {
        Random random = new Random(2);
        List<Double> confidence = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String p = world.samplePrompt(random);
            String a = world.sampleResponse(p, random);
            String b = world.sampleResponse(p, random);
            double pab = world.truePreferenceProbability(p, a, b);
            assertThat(pab + world.truePreferenceProbability(p, b, a)).isCloseTo(1.0, within(1e-12));
            confidence.add(Math.max(pab, 1 - pab));
        }
        Collections.sort(confidence);
        assertThat(confidence.get(2_000)).as("10th percentile").isBetween(0.5, 0.6);
        assertThat(confidence.get(10_000)).as("median").isBetween(0.68, 0.80);
        assertThat(confidence.get(18_000)).as("90th percentile").isBetween(0.90, 0.97);
        assertThat(world.truePreferenceProbability(PROMPT, "stir salt oven", "whatever no stupid"))
                .isGreaterThan(0.99);
    }

    @Test
    void sampleResponse_isShortAndInVocabulary() {
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            String p = world.samplePrompt(random);
            String r = world.sampleResponse(p, random);
            assertThat(r.split(" ")).hasSizeBetween(3, 6);
            assertThat(r).matches("[a-z]+( [a-z]+)*");
            assertThat(world.vocabulary()).contains(r.split(" "));
        }
        assertThat(world.sampleResponse(PROMPT, new Random(9))).isEqualTo(world.sampleResponse(PROMPT, new Random(9)));
    }

    @Test
    void vocabulary_isSmallLowerCaseAscii() {
        assertThat(world.vocabulary()).hasSize(5 * (3 + 4 + 7) + 8 + 8 + 7).allMatch(w -> w.matches("[a-z]+"));
        assertThat(world.reward(PROMPT, "zebra")).isEqualTo(1.5 * (-3 - 0.5 * 2));
    }

    @Test
    void prompts_areHeldOutDeterministicAndWellFormed() {
        assertThat(world.trainingPrompts()).hasSize(288);
        assertThat(world.heldOutPrompts()).hasSize(72).doesNotContainAnyElementsOf(world.trainingPrompts());
        assertThat(world.prompts(10, 5)).isEqualTo(world.prompts(10, 5)).isNotEqualTo(world.prompts(10, 6));
        assertThat(new HashSet<>(world.prompts(72, 1))).isEqualTo(new HashSet<>(world.heldOutPrompts()));
        assertThat(world.prompts(100, 1)).hasSize(100);
        for (String p : world.heldOutPrompts()) {
            assertThat(p.split(" ")).hasSizeBetween(3, 5);
            assertThat(world.topic(p)).isPresent();
        }
        assertThat(world.topic(PROMPT)).contains("cooking");
        assertThat(world.topic("what is love")).isEmpty();
        Random random = new Random(4);
        for (int i = 0; i < 1_000; i++) {
            assertThat(world.trainingPrompts()).contains(world.samplePrompt(random));
        }
        assertThat(new SyntheticWorld().heldOutPrompts()).isEqualTo(world.heldOutPrompts());
    }
}
