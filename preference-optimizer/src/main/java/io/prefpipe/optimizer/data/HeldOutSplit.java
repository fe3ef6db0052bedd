package io.prefpipe.optimizer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Examples (preference pairs, ranked lists) split into a training part and a held-out part.
 *
 * @param train the examples to train on, in their input order
 * @param heldOut the examples to measure on, in their input order
 * @param <T> the kind of example
 */
public record HeldOutSplit<T>(List<T> train, List<T> heldOut) {

    public HeldOutSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * Holds out ⌈fraction · n⌉ of the n examples, chosen by a shuffle seeded with {@code seed}: the same examples in the
     * same order and the same seed always give the same split (a {@link SnapshotReader} returns
     * a snapshot's pairs in a fixed order).
     *
     * @param fraction in [0, 1); 0 holds out nothing
     * @throws IllegalArgumentException if the fraction is out of range, there are no examples, or holding out would
     *     leave none to train on
     */
    public static <T> HeldOutSplit<T> of(List<T> examples, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + fraction);
        }
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("no examples to split");
        }
        // the tolerance keeps products like 0.7 · 10 = 7.000000000000001 from rounding up to 8
        int heldOut = (int) Math.ceil(fraction * n - 1e-9);
        if (heldOut >= n) {
            throw new IllegalArgumentException("heldOutFraction " + fraction + " of " + n
                    + " examples leaves none to train on");
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        boolean[] held = new boolean[n];
        for (int i = 0; i < heldOut; i++) {
            held[order.get(i)] = true;
        }
        List<T> train = new ArrayList<>(n - heldOut);
        List<T> test = new ArrayList<>(heldOut);
        for (int i = 0; i < n; i++) {
            (held[i] ? test : train).add(examples.get(i));
        }
        return new HeldOutSplit<>(train, test);
    }
}
