package io.prefpipe.optimizer.data;

import io.prefpipe.schema.PreferencePair;
import java.util.Objects;

/**
 * One preference: for {@code prompt}, {@code chosen} was judged better than {@code rejected}.
 *
 * @param pairId id of the curated pair it came from
 * @param prompt the prompt both responses answer
 * @param chosen the preferred response
 * @param rejected the other response
 * @param pChosen the aggregator's probability that {@code chosen} is really preferred, in [0, 1]; kept for
 *     label-noise-aware losses, unused by plain DPO
 */
public record PreferenceExample(String pairId, String prompt, String chosen, String rejected, double pChosen) {
    public PreferenceExample {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (!(pChosen >= 0 && pChosen <= 1)) {
            throw new IllegalArgumentException("pChosen of pair " + pairId + " must be in [0, 1], got " + pChosen);
        }
    }

    /** A certain preference ({@code pChosen = 1}). */
    public static PreferenceExample of(String pairId, String prompt, String chosen, String rejected) {
        return new PreferenceExample(pairId, prompt, chosen, rejected, 1.0);
    }

    /** The example of a curated pair. */
    public static PreferenceExample from(PreferencePair pair) {
        return new PreferenceExample(pair.getPairId(), pair.getPrompt(), pair.getChosen(), pair.getRejected(),
                pair.getPChosen());
    }
}
