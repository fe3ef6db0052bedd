package io.prefpipe.labeling.eval;

import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.IdIndex;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The true class of some items of a dataset, aligned with its item dictionary. Immutable.
 */
public final class GoldLabels {
    /** {@link #truth(int)} of an item without a gold label. */
    public static final int NO_TRUTH = -1;
    /** {@link #truth(int)} of an item whose gold label is no class of the dataset: no aggregator can get it right. */
    public static final int NOT_A_CLASS = -2;

    private final IdIndex items;
    private final int[] truth;
    private final int withTruth;
    private final int unknownItems;

    private GoldLabels(IdIndex items, int[] truth, int unknownItems) {
        this.items = items;
        this.truth = truth;
        this.withTruth = (int) Arrays.stream(truth).filter(t -> t != NO_TRUTH).count();
        this.unknownItems = unknownItems;
    }

    /**
     * Gold labels for the items of {@code data}.
     *
     * @param truthByItem gold class id by item id; items the dataset does not have are counted in
     *     {@link #unknownItems()} and otherwise ignored
     */
    public static GoldLabels of(CrowdDataset data, Map<String, String> truthByItem) {
        Objects.requireNonNull(data, "data");
        int[] truth = new int[data.numItems()];
        Arrays.fill(truth, NO_TRUTH);
        int unknown = 0;
        for (Map.Entry<String, String> e : truthByItem.entrySet()) {
            int i = data.items().indexOf(e.getKey());
            if (i < 0) {
                unknown++;
                continue;
            }
            int c = data.classes().indexOf(Objects.requireNonNull(e.getValue(), "truth of " + e.getKey()));
            truth[i] = c < 0 ? NOT_A_CLASS : c;
        }
        return new GoldLabels(data.items(), truth, unknown);
    }

    /** The dataset's item dictionary these labels are aligned with. */
    public IdIndex items() {
        return items;
    }

    /** The true class of item {@code i}, {@link #NO_TRUTH} or {@link #NOT_A_CLASS}. */
    public int truth(int i) {
        return truth[i];
    }

    /** Items of the dataset that have a gold label. */
    public int itemsWithTruth() {
        return withTruth;
    }

    /** Gold labels given for items the dataset does not have (ignored). */
    public int unknownItems() {
        return unknownItems;
    }
}
