package io.prefpipe.optimizer.train;

import java.util.Random;

/**
 * Batches of example indices: a seeded shuffle of 0..n−1 consumed in order, reshuffled at each pass, so every example
 * is seen once per pass and a batch may straddle two passes. Batches have min(batchSize, n) distinct indices.
 */
final class BatchSampler {

    private final int[] order;
    private final int batchSize;
    private final Random random;
    private int next;

    BatchSampler(int examples, int batchSize, long seed) {
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

    int[] nextBatch() {
        int[] batch = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            if (next == order.length) {
                shuffle();
            }
            batch[i] = order[next++];
        }
        return batch;
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
