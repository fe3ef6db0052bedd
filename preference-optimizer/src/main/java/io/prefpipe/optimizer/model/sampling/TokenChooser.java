package io.prefpipe.optimizer.model.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Draws the next token from one row of logits under {@link SamplingOptions}:
 *
 * <pre>
 *   greedy (T = 0):  argmax_v z_v, the lowest id among ties
 *   otherwise:       p_v ∝ exp(z_v / T) over the candidates, where the candidates are the allowed ids,
 *                    cut to the k largest z (top-k), then to the shortest most-likely prefix whose p sums to ≥ p (top-p)
 * </pre>
 *
 * Candidates are ordered by logit, then id, so ties resolve the same way every time. Stateless.
 */
public final class TokenChooser {

    private TokenChooser() {}

    /**
     * Chooses an id from {@code logits[offset .. offset + vocab)}.
     *
     * @param allowed which ids may be chosen at all (e.g. not BOS or PAD)
     * @param random consumed only when there is more than one candidate
     * @throws IllegalArgumentException if no id is allowed
     */
    public static int choose(float[] logits, int offset, int vocab, IntPredicate allowed, SamplingOptions options,
            SplittableRandom random) {
        int[] candidates = candidates(logits, offset, vocab, allowed, options);
        if (candidates.length == 1) {
            return candidates[0];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int id : candidates) {
            max = Math.max(max, logits[offset + id]);
        }
        double[] weights = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp((logits[offset + candidates[i]] - max) / options.temperature());
            total += weights[i];
        }
        int kept = candidates.length;
        if (options.topP() < 1) {
            // candidates are in decreasing probability: keep the shortest prefix holding topP of the mass
            double mass = 0;
            for (int i = 0; i < candidates.length; i++) {
                mass += weights[i];
                if (mass >= options.topP() * total) {
                    kept = i + 1;
                    total = mass;
                    break;
                }
            }
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < kept - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return candidates[i];
            }
        }
        return candidates[kept - 1];
    }

    /**
     * The allowed ids that survive greedy selection or top-k: ordered by decreasing logit (then increasing id) when a
     * filter needs the order, by id otherwise.
     */
    private static int[] candidates(float[] logits, int offset, int vocab, IntPredicate allowed,
            SamplingOptions options) {
        int[] ids = new int[vocab];
        int count = 0;
        int best = -1;
        for (int id = 0; id < vocab; id++) {
            if (allowed.test(id)) {
                ids[count++] = id;
                if (best < 0 || logits[offset + id] > logits[offset + best]) {
                    best = id;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no token id in 0.." + (vocab - 1) + " may be sampled");
        }
        if (options.greedy() || options.topK() == 1) {
            return new int[] {best};
        }
        if (options.topK() == 0 && options.topP() == 1) {
            return Arrays.copyOf(ids, count);
        }
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = ((long) descendingKey(logits[offset + ids[i]]) << 32) | ids[i];
        }
        Arrays.sort(keys);
        int kept = options.topK() == 0 ? count : Math.min(count, options.topK());
        int[] ordered = new int[kept];
        for (int i = 0; i < kept; i++) {
            ordered[i] = (int) keys[i];
        }
        return ordered;
    }

    /** An int whose signed order is the reverse of {@code value}'s order (for non-NaN floats). */
    private static int descendingKey(float value) {
        int bits = Float.floatToIntBits(value);
        int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ~ascending;
    }
}
