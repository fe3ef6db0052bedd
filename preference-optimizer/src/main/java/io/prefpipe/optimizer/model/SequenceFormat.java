package io.prefpipe.optimizer.model;

import java.util.Arrays;

/**
 * How a prompt and a response become one token sequence, and which special ids a policy uses.
 *
 * <p>{@link Framing#WRAPPED}, the byte-level policy's: {@code BOS + prompt + response + EOS}; the response's
 * log-probability includes EOS, so it also scores where the response stops.
 *
 * <p>{@link Framing#CONCATENATED}, Hugging Face causal language models': {@code prompt + response}, each tokenized
 * separately without special tokens, nothing added, except a BOS in front when the prompt has no tokens, so that the
 * first response token has a context. The response's log-probability is Σ log p(token | everything before it) over the
 * response tokens only.
 *
 * <p>Either way, a sequence longer than the context loses prompt tokens from its left first (the end of a prompt
 * conditions the response most), then response tokens from its right; one token of context always remains (BOS or
 * the last prompt token), and a pair left without response tokens is refused, never scored 0.
 *
 * @param framing where BOS and EOS go
 * @param bos the id that begins a sequence (WRAPPED) or stands in for an empty prompt (CONCATENATED)
 * @param eos the id that ends a response; sampling stops when it is drawn
 * @param pad the id that fills a batch row after its sequence; never a target, never attended to
 */
public record SequenceFormat(Framing framing, int bos, int eos, int pad) {

    /** Where the special ids go in a sequence. */
    public enum Framing {
        /** {@code BOS + prompt + response + EOS}. */
        WRAPPED,
        /** {@code prompt + response}; {@code BOS + response} when the prompt is empty. */
        CONCATENATED
    }

    public SequenceFormat {
        if (framing == null) {
            throw new IllegalArgumentException("framing must be set");
        }
        for (int id : new int[] {bos, eos, pad}) {
            if (id < 0) {
                throw new IllegalArgumentException("special token ids must be >= 0, got bos " + bos + ", eos " + eos
                        + ", pad " + pad);
            }
        }
    }

    /** The byte-level policy's format: WRAPPED with {@link ByteTokenizer}'s BOS, EOS and PAD. */
    public static SequenceFormat byteLevel() {
        return new SequenceFormat(Framing.WRAPPED, ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);
    }

    /**
     * The format of a Hugging Face causal language model: CONCATENATED, padding with EOS (GPT-2 has no pad token;
     * padding is masked out, so any id serves).
     */
    public static SequenceFormat concatenated(int bos, int eos) {
        return new SequenceFormat(Framing.CONCATENATED, bos, eos, eos);
    }

    /** One framed sequence: its ids and the index of its first response token. */
    record Framed(int[] tokens, int responseStart) {
        int responseTokens() {
            return tokens.length - responseStart;
        }
    }

    /**
     * Frames a prompt and a response (ids without special tokens) into at most {@code contextLength} ids, truncating
     * as described above. The result may have no response tokens (an empty CONCATENATED response); the caller refuses
     * it.
     */
    Framed frame(int[] prompt, int[] response, int contextLength) {
        if (framing == Framing.WRAPPED) {
            int budget = contextLength - 1;
            int responseTokens = Math.min(response.length + 1, budget);
            int promptTokens = Math.min(prompt.length, budget - responseTokens);
            int[] row = new int[1 + promptTokens + responseTokens];
            row[0] = bos;
            System.arraycopy(prompt, prompt.length - promptTokens, row, 1, promptTokens);
            int copied = Math.min(response.length, responseTokens);
            System.arraycopy(response, 0, row, 1 + promptTokens, copied);
            if (copied < responseTokens) {
                row[row.length - 1] = eos;
            }
            return new Framed(row, 1 + promptTokens);
        }
        int responseTokens = Math.min(response.length, contextLength - 1);
        int promptTokens = Math.min(prompt.length, contextLength - responseTokens);
        int[] context = promptTokens == 0
                ? new int[] {bos}
                : Arrays.copyOfRange(prompt, prompt.length - promptTokens, prompt.length);
        int[] row = Arrays.copyOf(context, context.length + responseTokens);
        System.arraycopy(response, 0, row, context.length, responseTokens);
        return new Framed(row, context.length);
    }

    /**
     * The context a sample starts from: the prompt's last tokens, at most {@code maxTokens} ids in all, with BOS in
     * front (WRAPPED) or instead of an empty prompt (CONCATENATED).
     *
     * @param maxTokens at least 1
     */
    int[] samplingContext(int[] prompt, int maxTokens) {
        int kept = keptPromptTokens(prompt, maxTokens);
        int[] tail = Arrays.copyOfRange(prompt, prompt.length - kept, prompt.length);
        if (framing == Framing.CONCATENATED && kept > 0) {
            return tail;
        }
        int[] context = new int[kept + 1];
        context[0] = bos;
        System.arraycopy(tail, 0, context, 1, kept);
        return context;
    }

    /** How many of the prompt's tokens {@link #samplingContext} keeps. */
    int keptPromptTokens(int[] prompt, int maxTokens) {
        return Math.min(prompt.length, framing == Framing.WRAPPED ? maxTokens - 1 : maxTokens);
    }

    /** Whether sampling may emit {@code id}: anything but BOS and PAD, unless they double as EOS (GPT-2). */
    boolean sampleable(int id) {
        return id == eos || (id != bos && id != pad);
    }
}
