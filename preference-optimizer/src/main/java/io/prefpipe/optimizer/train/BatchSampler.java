package io.prefpipe.optimizer.train;

import java.util.Random;

/**
 * Batches of example indices: a seeded shuffle of 0..n−1 consumed in order, reshuffled at each pass, so every example
 * is seen once per pass and a batch may straddle two passes. Batches have min(batchSize, n) indices, distinct unless
 * the batch straddles two passes. The order depends only on n, the seed and how many indices were drawn before, so
 * {@link #skipTo} puts a new sampler where an earlier one was: how a resumed run gets its next batch.
 */
public final class BatchSampler {

    private final int[] order;
    private final int batchSize;
    private final Random random;
    private int next;
    private long drawn;

    public BatchSampler(int examples, int batchSize, long seed) {
        if (examples < 1) {
            throw new IllegalArgumentException("no examples to train on");
        }
        this.order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        this.batchSize = Math.min(batchSize, examples);
        this.random = new Random(seed);
        shuffle();
    }

    /** The next min(batchSize, n) distinct indices. */
    public int[] nextBatch() {
        int[] batch = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            if (next == order.length) {
                shuffle();
            }
            batch[i] = order[next++];
        }
        drawn += batchSize;
        return batch;
    }

    /** Indices drawn so far. */
    public long position() {
        return drawn;
    }

    /**
     * Draws and discards indices up to {@code position}.
     *
     * @throws IllegalArgumentException if {@code position} is behind the current one
     */
    public void skipTo(long position) {
        if (position < drawn) {
            throw new IllegalArgumentException("position must be >= the current " + drawn + ", got " + position);
        }
        for (; drawn < position; drawn++) {
            if (next == order.length) {
                shuffle();
            }
            next++;
        }
    }

    /** Fisher–Yates. */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        next = 0;
    }
}
