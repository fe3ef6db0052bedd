package io.prefpipe.labeling.crowd;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable set of judgements (item, annotator, label) over K classes, stored as primitive arrays.
 *
 * <p>Judgements are numbered {@code 0..numJudgements-1} in item order (stable: the order they were added in within
 * an item), so the judgements of item {@code i} are {@code itemStart(i) .. itemEnd(i)-1}, CSR style. A second index
 * lists each annotator's judgements. Ids become dense ints through three {@link IdIndex} dictionaries (items,
 * annotators, classes). A million judgements take about 16 MB: four ints per judgement (item, annotator, label and
 * the by-annotator index) plus the offsets; a fifth when display order is recorded.
 *
 * <p>A judgement may record which class was <em>shown first</em> to the annotator (for pairwise preferences: which
 * response was displayed first), or {@link #UNKNOWN_POSITION}. Only position-aware models read it.
 *
 * <p>The same annotator may judge an item more than once; every judgement counts.
 */
public final class CrowdDataset {
    /** {@link #shownFirst(int)} of a judgement whose display order is unknown. */
    public static final int UNKNOWN_POSITION = -1;

    private final IdIndex items;
    private final IdIndex annotators;
    private final IdIndex classes;
    private final int[] item;
    private final int[] annotator;
    private final int[] label;
    // null when no judgement has a known position, so datasets without display order pay nothing for it
    private final int[] shownFirst;
    private final int[] itemOffsets;
    private final int[] annotatorOffsets;
    private final int[] byAnnotator;

    private CrowdDataset(IdIndex items, IdIndex annotators, IdIndex classes, int[] item, int[] annotator, int[] label,
            int[] shownFirst, int[] itemOffsets) {
        this.items = items;
        this.annotators = annotators;
        this.classes = classes;
        this.item = item;
        this.annotator = annotator;
        this.label = label;
        this.shownFirst = shownFirst;
        this.itemOffsets = itemOffsets;
        int numAnnotators = annotators.size();
        this.annotatorOffsets = new int[numAnnotators + 1];
        for (int a : annotator) {
            annotatorOffsets[a + 1]++;
        }
        for (int a = 0; a < numAnnotators; a++) {
            annotatorOffsets[a + 1] += annotatorOffsets[a];
        }
        this.byAnnotator = new int[annotator.length];
        int[] next = Arrays.copyOf(annotatorOffsets, numAnnotators);
        for (int j = 0; j < annotator.length; j++) {
            byAnnotator[next[annotator[j]]++] = j;
        }
    }

    /** A builder that takes string ids. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A dataset from dense ints, for callers that already have them (generators, benchmarks). The arrays are not
     * retained.
     *
     * @param items the item dictionary; items without judgements are allowed
     * @param annotators the annotator dictionary
     * @param classes the class dictionary, at least 2 classes
     * @param item item index of each judgement
     * @param annotator annotator index of each judgement
     * @param label class index of each judgement
     * @param shownFirst class shown first for each judgement ({@link #UNKNOWN_POSITION} when unknown), or
     *     {@code null} when no judgement has a known position
     * @throws IllegalArgumentException naming the judgement and field when an index is out of range or the arrays
     *     differ in length
     */
    public static CrowdDataset ofIndices(IdIndex items, IdIndex annotators, IdIndex classes, int[] item,
            int[] annotator, int[] label, int[] shownFirst) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(annotators, "annotators");
        Objects.requireNonNull(classes, "classes");
        if (classes.size() < 2) {
            throw new IllegalArgumentException("classes must hold at least 2 classes, got " + classes);
        }
        int n = item.length;
        if (annotator.length != n || label.length != n || (shownFirst != null && shownFirst.length != n)) {
            throw new IllegalArgumentException("item, annotator, label and shownFirst must have the same length, got "
                    + n + ", " + annotator.length + ", " + label.length + ", "
                    + (shownFirst == null ? "null" : shownFirst.length));
        }
        int numItems = items.size();
        int[] offsets = new int[numItems + 1];
        for (int j = 0; j < n; j++) {
            requireIndex(j, "item", item[j], numItems);
            requireIndex(j, "annotator", annotator[j], annotators.size());
            requireIndex(j, "label", label[j], classes.size());
            if (shownFirst != null && shownFirst[j] != UNKNOWN_POSITION) {
                requireIndex(j, "shownFirst", shownFirst[j], classes.size());
            }
            offsets[item[j] + 1]++;
        }
        for (int i = 0; i < numItems; i++) {
            offsets[i + 1] += offsets[i];
        }
        // A stable counting sort by item: judgements of one item keep the order they were given in.
        int[] next = Arrays.copyOf(offsets, numItems);
        int[] sItem = new int[n];
        int[] sAnnotator = new int[n];
        int[] sLabel = new int[n];
        int[] sShown = shownFirst == null ? null : new int[n];
        for (int j = 0; j < n; j++) {
            int to = next[item[j]]++;
            sItem[to] = item[j];
            sAnnotator[to] = annotator[j];
            sLabel[to] = label[j];
            if (sShown != null) {
                sShown[to] = shownFirst[j];
            }
        }
        return new CrowdDataset(items, annotators, classes, sItem, sAnnotator, sLabel, sShown, offsets);
    }

    private static void requireIndex(int judgement, String field, int value, int size) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException("judgement " + judgement + ": " + field + " index " + value
                    + " is out of range [0, " + size + ")");
        }
    }

    /** The item dictionary. */
    public IdIndex items() {
        return items;
    }

    /** The annotator dictionary. */
    public IdIndex annotators() {
        return annotators;
    }

    /** The class dictionary. */
    public IdIndex classes() {
        return classes;
    }

    public int numItems() {
        return items.size();
    }

    public int numAnnotators() {
        return annotators.size();
    }

    /** K, the number of classes. */
    public int numClasses() {
        return classes.size();
    }

    public int numJudgements() {
        return item.length;
    }

    /** The item of judgement {@code j}. */
    public int item(int j) {
        return item[j];
    }

    /** The annotator of judgement {@code j}. */
    public int annotator(int j) {
        return annotator[j];
    }

    /** The class label of judgement {@code j}. */
    public int label(int j) {
        return label[j];
    }

    /** The class shown first in judgement {@code j}, or {@link #UNKNOWN_POSITION}. */
    public int shownFirst(int j) {
        return shownFirst == null ? UNKNOWN_POSITION : shownFirst[j];
    }

    /** Whether any judgement records which class was shown first. */
    public boolean hasPositions() {
        return shownFirst != null;
    }

    /** The first judgement of item {@code i}. */
    public int itemStart(int i) {
        return itemOffsets[i];
    }

    /** One past the last judgement of item {@code i}. */
    public int itemEnd(int i) {
        return itemOffsets[i + 1];
    }

    /** The number of judgements annotator {@code a} gave. */
    public int annotatorJudgementCount(int a) {
        return annotatorOffsets[a + 1] - annotatorOffsets[a];
    }

    /** The {@code n}-th judgement of annotator {@code a}, {@code 0 <= n < annotatorJudgementCount(a)}. */
    public int annotatorJudgement(int a, int n) {
        return byAnnotator[annotatorOffsets[a] + n];
    }

    @Override
    public String toString() {
        return "CrowdDataset[" + numItems() + " items, " + numAnnotators() + " annotators, " + numClasses()
                + " classes, " + numJudgements() + " judgements]";
    }

    /**
     * Collects judgements by string id; ids get dense ints in first-seen order. Not thread-safe; {@link #build()} may
     * be called once.
     */
    public static final class Builder {
        private final IdIndex.Builder items = new IdIndex.Builder();
        private final IdIndex.Builder annotators = new IdIndex.Builder();
        private IdIndex.Builder classes = new IdIndex.Builder();
        private boolean classesFixed;
        private int[] item = new int[1024];
        private int[] annotator = new int[1024];
        private int[] label = new int[1024];
        private int[] shownFirst;
        private int size;
        private boolean built;

        private Builder() {}

        /**
         * Fixes the classes and their order (class {@code k} is {@code classes.get(k)}) before any judgement is
         * added. Without it, classes are numbered in the order labels are first seen. Fix them when a class may have
         * no judgement yet, or when the order matters (e.g. FIRST before SECOND).
         *
         * @throws IllegalStateException if judgements were already added
         */
        public Builder setClasses(List<String> classes) {
            if (size > 0 || classesFixed) {
                throw new IllegalStateException("classes must be set once, before any judgement is added");
            }
            if (classes.size() < 2) {
                throw new IllegalArgumentException("classes must hold at least 2 classes, got " + classes);
            }
            IdIndex.Builder b = new IdIndex.Builder();
            for (String c : classes) {
                Objects.requireNonNull(c, "classes contains null");
                if (b.indexOf(c) >= 0) {
                    throw new IllegalArgumentException("classes must be distinct, '" + c + "' appears twice");
                }
                b.intern(c);
            }
            this.classes = b;
            this.classesFixed = true;
            return this;
        }

        /** Adds a judgement whose display order is unknown. */
        public Builder add(String itemId, String annotatorId, String labelId) {
            append(itemId, annotatorId, labelId, UNKNOWN_POSITION);
            return this;
        }

        /**
         * Adds a judgement that records which class was shown first.
         *
         * @param shownFirstClass the class shown first; must be a known class once all judgements are in
         */
        public Builder add(String itemId, String annotatorId, String labelId, String shownFirstClass) {
            Objects.requireNonNull(shownFirstClass, "shownFirstClass");
            int shown = classIndex(shownFirstClass, "shownFirstClass");
            if (shownFirst == null) {
                shownFirst = new int[item.length];
                Arrays.fill(shownFirst, 0, size, UNKNOWN_POSITION);
            }
            append(itemId, annotatorId, labelId, shown);
            return this;
        }

        private int classIndex(String c, String field) {
            if (!classesFixed) {
                return classes.intern(c);
            }
            int k = classes.indexOf(c);
            if (k < 0) {
                throw new IllegalArgumentException(field + " '" + c + "' is not one of the fixed classes "
                        + classes.build().ids());
            }
            return k;
        }

        private void append(String itemId, String annotatorId, String labelId, int shown) {
            requireNotBuilt();
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(annotatorId, "annotatorId");
            Objects.requireNonNull(labelId, "labelId");
            int k = classIndex(labelId, "label");
            if (size == item.length) {
                int capacity = item.length * 2;
                item = Arrays.copyOf(item, capacity);
                annotator = Arrays.copyOf(annotator, capacity);
                label = Arrays.copyOf(label, capacity);
                if (shownFirst != null) {
                    shownFirst = Arrays.copyOf(shownFirst, capacity);
                }
            }
            item[size] = items.intern(itemId);
            annotator[size] = annotators.intern(annotatorId);
            label[size] = k;
            if (shownFirst != null) {
                shownFirst[size] = shown;
            }
            size++;
        }

        private void requireNotBuilt() {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
        }

        /** The number of judgements added so far. */
        public int size() {
            return size;
        }

        /**
         * The dataset.
         *
         * @throws IllegalStateException if fewer than 2 classes are known
         */
        public CrowdDataset build() {
            requireNotBuilt();
            if (classes.size() < 2) {
                throw new IllegalStateException("a dataset needs at least 2 classes; seen only "
                        + classes.build().ids() + " (fix them with setClasses)");
            }
            built = true;
            return ofIndices(items.build(), annotators.build(), classes.build(), Arrays.copyOf(item, size),
                    Arrays.copyOf(annotator, size), Arrays.copyOf(label, size),
                    shownFirst == null ? null : Arrays.copyOf(shownFirst, size));
        }
    }
}
