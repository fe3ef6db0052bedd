package io.prefpipe.optimizer.model.sampling;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled response with the exact ids it was sampled from and as, so a trainer can score the same tokens again
 * (re-tokenizing {@link #text()} need not give them back).
 *
 * @param promptTokens the prompt ids the response was conditioned on, after truncation, without special ids
 * @param responseTokens the sampled ids, without the EOS that ended them
 * @param text {@code responseTokens} decoded
 * @param stop why sampling stopped
 */
public record Sample(int[] promptTokens, int[] responseTokens, String text, StopReason stop) {

    /** Why a response ended. */
    public enum StopReason {
        /** The policy drew EOS. */
        EOS,
        /** The response reached {@link SamplingOptions#maxNewTokens()}. */
        MAX_NEW_TOKENS,
        /** The sequence filled the context. */
        CONTEXT_FULL
    }

    public Sample {
        promptTokens = promptTokens.clone();
        responseTokens = responseTokens.clone();
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(stop, "stop");
    }

    /** A copy of the prompt ids. */
    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    /** A copy of the response ids. */
    @Override
    public int[] responseTokens() {
        return responseTokens.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sample that && Arrays.equals(promptTokens, that.promptTokens)
                && Arrays.equals(responseTokens, that.responseTokens) && text.equals(that.text) && stop == that.stop;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(promptTokens), Arrays.hashCode(responseTokens), text, stop);
    }

    @Override
    public String toString() {
        return "Sample[" + Arrays.toString(responseTokens) + " \"" + text + "\", " + stop + "]";
    }
}
