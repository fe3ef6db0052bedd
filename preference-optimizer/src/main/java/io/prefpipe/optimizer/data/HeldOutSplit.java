package io.prefpipe.optimizer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Preference pairs split into a training part and a held-out part.
 *
 * @param train the pairs to train on, in their input order
 * @param heldOut the pairs to measure on, in their input order
 */
public record HeldOutSplit(List<PreferenceExample> train, List<PreferenceExample> heldOut) {

    public HeldOutSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * Holds out ⌈fraction · n⌉ of the n pairs, chosen by a shuffle seeded with {@code seed}: the same pairs in the same
     * order and the same seed always give the same split (a {@link SnapshotReader} returns
     * a snapshot's pairs in a fixed order).
     *
     * @param fraction in [0, 1); 0 holds out nothing
     * @throws IllegalArgumentException if the fraction is out of range, there are no pairs, or holding out would leave
     *     none to train on
     */
    public static HeldOutSplit of(List<PreferenceExample> examples, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + fraction);
        }
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("no preference examples");
        }
        // the tolerance keeps products like 0.7 · 10 = 7.000000000000001 from rounding up to 8
        int heldOut = (int) Math.ceil(fraction * n - 1e-9);
        if (heldOut >= n) {
            throw new IllegalArgumentException("heldOutFraction " + fraction + " of " + n
                    + " pairs leaves none to train on");
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
        List<PreferenceExample> train = new ArrayList<>(n - heldOut);
        List<PreferenceExample> test = new ArrayList<>(heldOut);
        for (int i = 0; i < n; i++) {
            (held[i] ? test : train).add(examples.get(i));
        }
        return new HeldOutSplit(train, test);
    }
}
