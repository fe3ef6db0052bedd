package io.prefpipe.labeling.crowd;

import java.util.List;

/** Small hand-checkable datasets. */
final class Toys {
    private Toys() {}

    /** Two classes; i0: A0 B0 C1, i1: A1 B1 C1, i2: A0 B1. */
    static CrowdDataset threeItems() {
        return CrowdDataset.builder().setClasses(List.of("0", "1"))
                .add("i0", "A", "0").add("i0", "B", "0").add("i0", "C", "1")
                .add("i1", "A", "1").add("i1", "B", "1").add("i1", "C", "1")
                .add("i2", "A", "0").add("i2", "B", "1")
                .build();
    }

    /** Two classes; i0: A0 B0 C1, i1: A1 B1 C0, i2: A0 B1 C1, i3: A0 B1 (a tie). */
    static CrowdDataset fourItemsWithTie() {
        return CrowdDataset.builder().setClasses(List.of("0", "1"))
                .add("i0", "A", "0").add("i0", "B", "0").add("i0", "C", "1")
                .add("i1", "A", "1").add("i1", "B", "1").add("i1", "C", "0")
                .add("i2", "A", "0").add("i2", "B", "1").add("i2", "C", "1")
                .add("i3", "A", "0").add("i3", "B", "1")
                .build();
    }
}
