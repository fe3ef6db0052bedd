package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/**
 * Incremental decoding of a batch with a {@link KvCache}: {@link #start} runs the contexts once, then each {@link
 * #step} runs one new token per row against the cache, so n steps cost n single-position passes instead of n passes
 * over growing prefixes.
 *
 * <p>Contexts of different lengths are left-padded to the longest, P. Row b's padding p_b shifts its position ids,
 * {@code position = column − p_b}, so every sequence sees the positions it would see alone; its padded keys are
 * masked out of every query. A padding query attends to itself only, which keeps its softmax finite (its output is
 * never read). Arrays live in a sub-manager of the model's, released by {@link #close()}.
 */
final class CachedDecoder implements AutoCloseable {

    private final TransformerPolicy block;
    private final NDManager manager;
    private final KvCache cache;
    private final int contextLength;
    private final int pad;
    private int[] padding;
    private int[] lengths;

    CachedDecoder(TransformerPolicy block, NDManager parent, int pad) {
        this.block = block;
        this.manager = parent.newSubManager();
        this.cache = block.newCache(manager);
        this.contextLength = block.config().contextLength();
        this.pad = pad;
    }

    /**
     * Runs the contexts, one per row, each 1..contextLength ids.
     *
     * @return the next-token logits of every row, (B·V) row-major
     */
    float[] start(int[][] contexts) {
        int batch = contexts.length;
        int time = Arrays.stream(contexts).mapToInt(c -> c.length).max().orElseThrow();
        padding = new int[batch];
        lengths = new int[batch];
        long[] tokens = new long[batch * time];
        long[] positions = new long[batch * time];
        float[] mask = new float[batch * time * time];
        Arrays.fill(tokens, pad);
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        for (int b = 0; b < batch; b++) {
            padding[b] = time - contexts[b].length;
            lengths[b] = contexts[b].length;
            for (int t = 0; t < contexts[b].length; t++) {
                tokens[b * time + padding[b] + t] = contexts[b][t];
            }
            for (int query = 0; query < time; query++) {
                positions[b * time + query] = Math.max(0, query - padding[b]);
                int row = (b * time + query) * time;
                if (query < padding[b]) {
                    mask[row + query] = 0;
                } else {
                    Arrays.fill(mask, row + padding[b], row + query + 1, 0f);
                }
            }
        }
        return run(tokens, positions, mask, new Shape(batch, time), new Shape(batch, 1, time, time));
    }

    /**
     * Runs one more token per row. A row that has finished decoding may be fed anything (its logits are ignored);
     * its position id stops at the last of the context.
     *
     * @return the next-token logits of every row, (B·V) row-major
     */
    float[] step(int[] next) {
        int batch = next.length;
        int keys = (int) cache.length() + 1;
        long[] tokens = new long[batch];
        long[] positions = new long[batch];
        float[] mask = new float[batch * keys];
        for (int b = 0; b < batch; b++) {
            tokens[b] = next[b];
            positions[b] = Math.min(lengths[b], contextLength - 1);
            lengths[b]++;
            Arrays.fill(mask, b * keys, b * keys + padding[b], Float.NEGATIVE_INFINITY);
        }
        return run(tokens, positions, mask, new Shape(batch, 1), new Shape(batch, 1, 1, keys));
    }

    private float[] run(long[] tokens, long[] positions, float[] mask, Shape tokenShape, Shape maskShape) {
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = block.nextTokenLogits(new ParameterStore(step, false), step.create(tokens, tokenShape),
                    step.create(positions, tokenShape), step.create(mask, maskShape), cache);
            return logits.toFloatArray();
        }
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
