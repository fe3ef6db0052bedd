package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Token sequences {@code BOS + prompt + response + EOS}, one per row, with where each response starts. Pure Java: the
 * native arrays are made per step by {@link #toArrays(NDManager)}. Immutable.
 */
public final class TokenBatch {

    private final int[][] rows;
    private final int[] responseStarts;

    private TokenBatch(int[][] rows, int[] responseStarts) {
        this.rows = rows;
        this.responseStarts = responseStarts;
    }

    /**
     * Encodes each pair as {@code BOS + prompt + response + EOS}, truncated to {@code contextLength} tokens: the
     * prompt loses bytes from its left first (the end of a prompt conditions the response most), then the response
     * loses tokens from its right (EOS first). Since {@code contextLength ≥ 2}, at least one response token always
     * remains.
     *
     * @throws IllegalArgumentException if there are no pairs
     */
    static TokenBatch encode(ByteTokenizer tokenizer, int contextLength, List<PromptResponse> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no pairs to encode");
        }
        int[][] rows = new int[pairs.size()][];
        int[] starts = new int[pairs.size()];
        for (int i = 0; i < rows.length; i++) {
            PromptResponse pair = pairs.get(i);
            int[] prompt = tokenizer.encode(pair.prompt());
            int[] response = tokenizer.encode(pair.response());
            int budget = contextLength - 1;
            int responseTokens = Math.min(response.length + 1, budget);
            int promptTokens = Math.min(prompt.length, budget - responseTokens);
            int[] row = new int[1 + promptTokens + responseTokens];
            row[0] = ByteTokenizer.BOS;
            System.arraycopy(prompt, prompt.length - promptTokens, row, 1, promptTokens);
            int copied = Math.min(response.length, responseTokens);
            System.arraycopy(response, 0, row, 1 + promptTokens, copied);
            if (copied < responseTokens) {
                row[row.length - 1] = ByteTokenizer.EOS;
            }
            rows[i] = row;
            starts[i] = 1 + promptTokens;
        }
        return new TokenBatch(rows, starts);
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

    /** Number of response tokens of row {@code i}, EOS included when it fit. */
    public int responseTokens(int i) {
        return rows[i].length - responseStarts[i];
    }

    /**
     * The batch as arrays for teacher forcing, right-padded with PAD to {@code T = maxLength()}:
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
        Arrays.fill(inputs, ByteTokenizer.PAD);
        Arrays.fill(targets, ByteTokenizer.PAD);
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
