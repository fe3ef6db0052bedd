package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prefpipe.optimizer.model.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Prompt-response token sequences framed by a {@link SequenceFormat}, one per row, with where each response starts.
 * Pure Java: the native arrays are made per step by {@link #toArrays(NDManager)}. Immutable.
 */
public final class TokenBatch {

    private final int[][] rows;
    private final int[] responseStarts;
    private final int pad;

    private TokenBatch(int[][] rows, int[] responseStarts, int pad) {
        this.rows = rows;
        this.responseStarts = responseStarts;
        this.pad = pad;
    }

    /**
     * Encodes each pair as {@code BOS + prompt + response + EOS} in byte ids, truncated to {@code contextLength}
     * tokens: the prompt loses bytes from its left first (the end of a prompt conditions the response most), then the
     * response loses tokens from its right (EOS first). Since {@code contextLength ≥ 2}, at least one response token
     * always remains.
     *
     * @throws IllegalArgumentException if there are no pairs
     */
    public static TokenBatch encode(ByteTokenizer tokenizer, int contextLength, List<PromptResponse> pairs) {
        return encode(tokenizer, SequenceFormat.byteLevel(), contextLength, ByteTokenizer.VOCAB_SIZE, pairs);
    }

    /**
     * Tokenizes each pair's prompt and response separately and frames them with {@code format} (see {@link
     * SequenceFormat} for the truncation).
     *
     * @throws IllegalArgumentException if there are no pairs, or naming the pair's index, if a pair has no response
     *     token or a token id outside 0..{@code vocabSize}−1
     */
    public static TokenBatch encode(Tokenizer tokenizer, SequenceFormat format, int contextLength, int vocabSize,
            List<PromptResponse> pairs) {
        return encodeIds(format, contextLength, vocabSize,
                pairs.stream().map(p -> tokenizer.encode(p.prompt())).toList(),
                pairs.stream().map(p -> tokenizer.encode(p.response())).toList());
    }

    /**
     * Frames prompt and response ids (without special tokens) with {@code format}, as {@link #encode(Tokenizer,
     * SequenceFormat, int, int, List)} does after tokenizing.
     *
     * @throws IllegalArgumentException if there are no pairs or the lists differ in length, or naming the pair's
     *     index, if a pair has no response token or a token id outside 0..{@code vocabSize}−1
     */
    static TokenBatch encodeIds(SequenceFormat format, int contextLength, int vocabSize, List<int[]> prompts,
            List<int[]> responses) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no pairs to encode");
        }
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
        }
        int[][] rows = new int[prompts.size()][];
        int[] starts = new int[prompts.size()];
        for (int i = 0; i < rows.length; i++) {
            requireVocabulary(i, "prompt", prompts.get(i), vocabSize);
            requireVocabulary(i, "response", responses.get(i), vocabSize);
            SequenceFormat.Framed framed = format.frame(prompts.get(i), responses.get(i), contextLength);
            if (framed.responseTokens() == 0) {
                throw new IllegalArgumentException("pair " + i + ": the response has no tokens to score");
            }
            rows[i] = framed.tokens();
            starts[i] = framed.responseStart();
        }
        return new TokenBatch(rows, starts, format.pad());
    }

    private static void requireVocabulary(int pair, String part, int[] ids, int vocabSize) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("pair " + pair + ": " + part + " token id " + id
                        + " is outside the vocabulary 0.." + (vocabSize - 1));
            }
        }
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of this batch. */
    TokenBatch slice(int from, int to) {
        return new TokenBatch(Arrays.copyOfRange(rows, from, to), Arrays.copyOfRange(responseStarts, from, to), pad);
    }

    /** Number of rows. */
    public int size() {
        return rows.length;
    }

    /** Length of the longest row. */
    public int maxLength() {
        return Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
    }

    /** A copy of row {@code i}'s token ids, unpadded. */
    public int[] row(int i) {
        return rows[i].clone();
    }

    /** Index in row {@code i} of the first response token. */
    public int responseStart(int i) {
        return responseStarts[i];
    }

    /** Number of response tokens of row {@code i}, EOS included when the format adds it and it fit. */
    public int responseTokens(int i) {
        return rows[i].length - responseStarts[i];
    }

    /**
     * The batch as arrays for teacher forcing, right-padded with the format's PAD to {@code T = maxLength()}:
     *
     * <ol>
     *   <li>inputs (B, T−1) int64: tokens 0..T−2 of each row;
     *   <li>targets (B, T−1) int64: tokens 1..T−1, so {@code targets[b, t]} is what position t predicts;
     *   <li>mask (B, T−1) float32: 1 where the target is a response token, 0 on prompt and padding.
     * </ol>
     */
    public NDList toArrays(NDManager manager) {
        int width = maxLength() - 1;
        long[] inputs = new long[rows.length * width];
        long[] targets = new long[rows.length * width];
        float[] mask = new float[rows.length * width];
        Arrays.fill(inputs, pad);
        Arrays.fill(targets, pad);
        for (int b = 0; b < rows.length; b++) {
            int[] row = rows[b];
            for (int t = 0; t < row.length - 1; t++) {
                inputs[b * width + t] = row[t];
                targets[b * width + t] = row[t + 1];
                mask[b * width + t] = t + 1 >= responseStarts[b] ? 1f : 0f;
            }
        }
        Shape shape = new Shape(rows.length, width);
        NDArray inputArray = manager.create(inputs, shape);
        NDArray targetArray = manager.create(targets, shape);
        return new NDList(inputArray, targetArray, manager.create(mask, shape));
    }
}
