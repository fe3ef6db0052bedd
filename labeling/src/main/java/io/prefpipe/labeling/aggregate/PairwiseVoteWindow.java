package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.IdIndex;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last {@code capacity} pairwise votes of a stream, kept so that a crowd aggregator can be refitted on them again
 * and again: {@link #dataset()} is exactly {@code PairwiseDatasets.fromComparisons(votes grouped by comparison id,
 * each comparison's votes in canonical order).dataset()}, the same items, annotators and judgements in the same order
 * whatever order the votes arrived in, without rebuilding item keys or dictionaries from strings at every fit.
 *
 * <p>Each vote is a handful of ints in a ring: its comparison, item ({@link PairwiseDatasets#itemKey(String,
 * io.prefpipe.labeling.pairwise.ResponsePair) comparison and pair}) and annotator as numbers in reference-counted
 * dictionaries (an id leaves when its last vote does), its label and which response was shown first. The item key is
 * built once, when the vote arrives. A window of 100,000 votes over 25,000 comparisons holds about 2 MB.
 *
 * <p>{@link #writeTo} and {@link #readFrom} store a window compactly (each distinct id once) for a checkpoint.
 *
 * <p>Mutable; not thread-safe.
 */
public final class PairwiseVoteWindow {
    private static final int FORMAT_VERSION = 1;
    private static final byte UNKNOWN_POSITION = (byte) CrowdDataset.UNKNOWN_POSITION;
    private static final IdIndex CLASSES = IdIndex.of(PairwiseDatasets.CLASSES);
    /**
     * The most votes a window holds. {@link #dataset()} sorts an item's votes by an int holding the annotator's rank
     * above 3 bits of label and display order; a window has at most as many annotators as votes.
     */
    public static final int MAX_CAPACITY = 1 << 28;

    private final int capacity;
    private final Dictionary comparisons = new Dictionary(true);
    private final Dictionary items = new Dictionary(false);
    private final Dictionary annotators = new Dictionary(true);
    // The ring: slot (head + k) % slots.length holds the k-th oldest vote, k < size.
    private int[] comparison = new int[0];
    private int[] item = new int[0];
    private int[] annotator = new int[0];
    private byte[] label = new byte[0];
    private byte[] shownFirst = new byte[0];
    private int head;
    private int size;
    private long received;

    /** An empty window of at most {@code capacity} votes. */
    public PairwiseVoteWindow(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "], got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The most votes the window holds. */
    public int capacity() {
        return capacity;
    }

    /** The votes in the window now. */
    public int size() {
        return size;
    }

    /** The votes ever added, including those that have left the window. */
    public long received() {
        return received;
    }

    /**
     * Adds a vote cast in {@code comparisonId}; when the window is full, its oldest vote leaves.
     *
     * @throws IllegalArgumentException if the vote is a tie (a tie says nothing about which response is better)
     */
    public void add(String comparisonId, PairwiseVote vote) {
        Objects.requireNonNull(comparisonId, "comparisonId");
        if (vote.outcome() == Outcome.TIE) {
            throw new IllegalArgumentException("a tie never enters the window; event " + vote.eventId());
        }
        byte shown = switch (vote.shownFirst()) {
            case FIRST -> 0;
            case SECOND -> 1;
            case UNKNOWN -> UNKNOWN_POSITION;
        };
        add(comparisonId, PairwiseDatasets.itemKey(comparisonId, vote.pair()), vote.annotatorId(),
                (byte) (vote.outcome() == Outcome.FIRST ? 0 : 1), shown);
    }

    private void add(String comparisonId, String itemKey, String annotatorId, byte labelClass, byte shown) {
        int slot;
        if (size == capacity) {
            slot = head;
            comparisons.release(comparison[slot]);
            items.release(item[slot]);
            annotators.release(annotator[slot]);
            head = (head + 1) % capacity;
        } else {
            if (size == comparison.length) {
                grow();
            }
            slot = (head + size) % comparison.length;
            size++;
        }
        comparison[slot] = comparisons.acquire(comparisonId);
        item[slot] = items.acquire(itemKey);
        annotator[slot] = annotators.acquire(annotatorId);
        label[slot] = labelClass;
        shownFirst[slot] = shown;
        received++;
    }

    // Grows the ring until it reaches the capacity; only while it is not full, so the oldest vote is at slot 0 after.
    private void grow() {
        int length = (int) Math.min(capacity, Math.max(1024, 2L * comparison.length));
        comparison = unrolled(comparison, length);
        item = unrolled(item, length);
        annotator = unrolled(annotator, length);
        byte[] l = new byte[length];
        byte[] s = new byte[length];
        for (int k = 0; k < size; k++) {
            int from = (head + k) % label.length;
            l[k] = label[from];
            s[k] = shownFirst[from];
        }
        label = l;
        shownFirst = s;
        head = 0;
    }

    private int[] unrolled(int[] ring, int length) {
        int[] out = new int[length];
        for (int k = 0; k < size; k++) {
            out[k] = ring[(head + k) % ring.length];
        }
        return out;
    }

    private int slot(int k) {
        return (head + k) % comparison.length;
    }

    /**
     * The window's votes as a two-class dataset (class 0: the pair's first response preferred), in canonical order:
     * by comparison id, then item key, annotator id, label and display order; items and annotators are numbered in
     * the order they first appear in that sequence, as {@link PairwiseDatasets#fromComparisons} numbers them. A fit
     * sums over the votes in this order and floating-point sums depend on order, so the same votes arriving in another
     * order (as they do when the job upstream runs at another parallelism) must give the same dataset, bit for bit.
     */
    public CrowdDataset dataset() {
        int n = size;
        // Sorting the votes with a comparator over their ids cost 1.7 million string comparisons per fit of a
        // 100,000-vote window. Instead, the live ids are ranked once (items in (comparison id, item key) order,
        // annotators in id order), the votes are bucketed by item rank, and each item's few votes are sorted by one
        // int: annotator rank, label, display order + 1. Votes with equal keys give equal rows, so the order among
        // them does not matter.
        int[] itemRank = new int[items.capacity()];
        int[] itemByRank = rankItems(itemRank);
        int[] annotatorRank = new int[annotators.capacity()];
        int[] annotatorByRank = rank(annotators, annotatorRank);
        int numItems = itemByRank.length;
        int[] itemStart = new int[numItems + 1];
        for (int k = 0; k < n; k++) {
            itemStart[itemRank[item[slot(k)]] + 1]++;
        }
        for (int i = 0; i < numItems; i++) {
            itemStart[i + 1] += itemStart[i];
        }
        int[] next = Arrays.copyOf(itemStart, numItems);
        int[] keys = new int[n];
        for (int k = 0; k < n; k++) {
            int s = slot(k);
            keys[next[itemRank[item[s]]]++] = annotatorRank[annotator[s]] << 3 | label[s] << 2 | (shownFirst[s] + 1);
        }

        // every live item has a vote and items come in rank order, so an item's number in the dataset is its rank
        String[] itemIds = new String[numItems];
        int[] annotatorOf = new int[annotatorByRank.length];
        Arrays.fill(annotatorOf, -1);
        String[] annotatorIds = new String[annotatorByRank.length];
        int numAnnotators = 0;
        int[] dItem = new int[n];
        int[] dAnnotator = new int[n];
        int[] dLabel = new int[n];
        int[] dShown = null;
        for (int i = 0; i < numItems; i++) {
            itemIds[i] = items.id(itemByRank[i]);
            Arrays.sort(keys, itemStart[i], itemStart[i + 1]);
            for (int j = itemStart[i]; j < itemStart[i + 1]; j++) {
                int a = keys[j] >>> 3;
                if (annotatorOf[a] < 0) {
                    annotatorOf[a] = numAnnotators;
                    annotatorIds[numAnnotators++] = annotators.id(annotatorByRank[a]);
                }
                int shown = (keys[j] & 3) - 1;
                dItem[j] = i;
                dAnnotator[j] = annotatorOf[a];
                dLabel[j] = keys[j] >>> 2 & 1;
                if (shown != CrowdDataset.UNKNOWN_POSITION && dShown == null) {
                    // as CrowdDataset.Builder: positions are recorded once any judgement has one
                    dShown = new int[n];
                    Arrays.fill(dShown, 0, j, CrowdDataset.UNKNOWN_POSITION);
                }
                if (dShown != null) {
                    dShown[j] = shown;
                }
            }
        }
        // every live id is in the window, so the arrays are full; ids of one dictionary are distinct
        return CrowdDataset.ofIndices(IdIndex.ofDistinct(itemIds), IdIndex.ofDistinct(annotatorIds), CLASSES,
                dItem, dAnnotator, dLabel, dShown);
    }

    /**
     * Ranks the live items by comparison id, then item key: fills {@code rankOf[item number]} and returns the item
     * numbers in rank order. An item belongs to one comparison (its key starts with the comparison id), so the items
     * are sorted by their comparison's rank, and only the few items of one comparison by their keys.
     */
    private int[] rankItems(int[] rankOf) {
        int[] comparisonOf = new int[items.capacity()];
        for (int k = 0; k < size; k++) {
            int s = slot(k);
            comparisonOf[item[s]] = comparison[s];
        }
        int[] comparisonRank = new int[comparisons.capacity()];
        rank(comparisons, comparisonRank);
        long[] byComparison = new long[items.size()];
        int live = 0;
        for (int i = 0; i < items.capacity(); i++) {
            if (items.id(i) != null) {
                byComparison[live++] = (long) comparisonRank[comparisonOf[i]] << 32 | i;
            }
        }
        Arrays.sort(byComparison);
        int[] byRank = new int[live];
        for (int from = 0; from < live; ) {
            int to = from + 1;
            while (to < live && byComparison[to] >>> 32 == byComparison[from] >>> 32) {
                to++;
            }
            for (int r = from; r < to; r++) {
                // insertion sort by item key within one comparison: a handful of items each
                int candidate = (int) byComparison[r];
                int at = r;
                while (at > from && items.id(byRank[at - 1]).compareTo(items.id(candidate)) > 0) {
                    byRank[at] = byRank[at - 1];
                    at--;
                }
                byRank[at] = candidate;
            }
            from = to;
        }
        for (int r = 0; r < live; r++) {
            rankOf[byRank[r]] = r;
        }
        return byRank;
    }

    /** Ranks a dictionary's live ids in id order: fills {@code rankOf[number]}, returns the numbers in rank order. */
    private static int[] rank(Dictionary dictionary, int[] rankOf) {
        String[] ids = dictionary.sortedIds();
        int[] byRank = new int[ids.length];
        for (int r = 0; r < ids.length; r++) {
            byRank[r] = dictionary.number(ids[r]);
            rankOf[byRank[r]] = r;
        }
        return byRank;
    }

    /** Writes the window: its capacity, the votes received, and its votes with each distinct id once. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(FORMAT_VERSION);
        out.writeInt(capacity);
        out.writeLong(received);
        out.writeInt(size);
        int[][] dense = {new int[comparisons.capacity()], new int[items.capacity()], new int[annotators.capacity()]};
        Dictionary[] dictionaries = {comparisons, items, annotators};
        int[][] columns = {comparison, item, annotator};
        for (int d = 0; d < 3; d++) {
            // each dictionary's live ids, numbered by first appearance in the window
            Arrays.fill(dense[d], -1);
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                int id = columns[d][slot(k)];
                if (dense[d][id] < 0) {
                    dense[d][id] = ids.size();
                    ids.add(dictionaries[d].id(id));
                }
            }
            out.writeInt(ids.size());
            for (String id : ids) {
                writeString(out, id);
            }
        }
        for (int k = 0; k < size; k++) {
            int s = slot(k);
            out.writeInt(dense[0][comparison[s]]);
            out.writeInt(dense[1][item[s]]);
            out.writeInt(dense[2][annotator[s]]);
            out.writeByte(label[s]);
            out.writeByte(shownFirst[s]);
        }
    }

    /**
     * Reads a window written by {@link #writeTo} into a window of {@code capacity}, which keeps the newest votes that
     * fit, and the count of votes received.
     *
     * @throws IOException if the input ends early or is not a window this code wrote
     */
    public static PairwiseVoteWindow readFrom(DataInput in, int capacity) throws IOException {
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("not a pairwise vote window of format " + FORMAT_VERSION + ": " + version);
        }
        int writtenCapacity = in.readInt();
        long received = in.readLong();
        int size = in.readInt();
        if (writtenCapacity < 1 || size < 0 || size > writtenCapacity || received < size) {
            throw new IOException("corrupt pairwise vote window: capacity " + writtenCapacity + ", size " + size
                    + ", received " + received);
        }
        String[][] ids = new String[3][];
        for (int d = 0; d < 3; d++) {
            ids[d] = new String[in.readInt()];
            for (int i = 0; i < ids[d].length; i++) {
                ids[d][i] = readString(in);
            }
        }
        PairwiseVoteWindow window = new PairwiseVoteWindow(capacity);
        try {
            for (int k = 0; k < size; k++) {
                String comparisonId = ids[0][in.readInt()];
                String itemKey = ids[1][in.readInt()];
                String annotatorId = ids[2][in.readInt()];
                byte labelClass = in.readByte();
                byte shown = in.readByte();
                if (labelClass < 0 || labelClass > 1 || shown < UNKNOWN_POSITION || shown > 1) {
                    throw new IOException("corrupt pairwise vote window: vote " + k + " has label " + labelClass
                            + ", shown first " + shown);
                }
                window.add(comparisonId, itemKey, annotatorId, labelClass, shown);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("corrupt pairwise vote window: an id number is out of range", e);
        }
        window.received = received;
        return window;
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt pairwise vote window: string length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Ids numbered densely, each number reused once the last vote holding it has left. One that keeps its order also
     * keeps its live ids sorted from one {@link #sortedIds()} to the next: a window refitted every few thousand votes
     * then sorts only the ids added since, and merges them into the previous order, instead of sorting tens of
     * thousands of comparison ids at every fit.
     */
    private static final class Dictionary {
        private final Map<String, Integer> numbers = new HashMap<>();
        private String[] ids = new String[16];
        private int[] references = new int[16];
        private int[] free = new int[16];
        private int freeCount;
        private int used;
        private final boolean keepsOrder;
        /** The live ids at the last {@link #sortedIds()}, in order; {@code null} when it must sort them all. */
        private String[] sorted;
        /** The ids that became live since the last {@link #sortedIds()} (an id that left and came back is here). */
        private final List<String> added = new ArrayList<>();
        /** {@code sortedIds()} calls so far, and per number the call count when its id last became live. */
        private int generation;
        private int[] addedIn = new int[16];

        Dictionary(boolean keepsOrder) {
            this.keepsOrder = keepsOrder;
        }

        int acquire(String id) {
            Integer n = numbers.get(id);
            if (n == null) {
                n = freeCount > 0 ? free[--freeCount] : newNumber();
                numbers.put(id, n);
                ids[n] = id;
                if (keepsOrder) {
                    noteAdded(id, n);
                }
            }
            references[n]++;
            return n;
        }

        void release(int n) {
            if (--references[n] == 0) {
                numbers.remove(ids[n]);
                ids[n] = null;
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, free.length * 2);
                }
                free[freeCount++] = n;
            }
        }

        private int newNumber() {
            if (used == ids.length) {
                ids = Arrays.copyOf(ids, used * 2);
                references = Arrays.copyOf(references, used * 2);
                addedIn = Arrays.copyOf(addedIn, used * 2);
            }
            return used++;
        }

        String id(int n) {
            return ids[n];
        }

        private void noteAdded(String id, int n) {
            addedIn[n] = generation;
            added.add(id);
            if (added.size() > 2 * numbers.size() + 1024) {
                // Churn since the last sort outgrew the live ids: sorting them all afresh is cheaper than keeping it.
                sorted = null;
                added.clear();
            }
        }

        /** The live ids in id order (needs {@code keepsOrder}). */
        String[] sortedIds() {
            String[] result;
            if (sorted == null) {
                result = new String[numbers.size()];
                int count = 0;
                for (int i = 0; i < used; i++) {
                    if (ids[i] != null) {
                        result[count++] = ids[i];
                    }
                }
                Arrays.sort(result);
            } else {
                // the previous order, less the ids that left since (or left and came back: they are among the added)
                String[] kept = new String[sorted.length];
                int keptCount = 0;
                for (String id : sorted) {
                    Integer n = numbers.get(id);
                    if (n != null && addedIn[n] < generation) {
                        kept[keptCount++] = id;
                    }
                }
                String[] fresh = new String[added.size()];
                int freshCount = 0;
                for (String id : added) {
                    Integer n = numbers.get(id);
                    if (n != null && addedIn[n] == generation) {
                        fresh[freshCount++] = id;
                        addedIn[n] = generation - 1; // taken: an id added twice is listed twice
                    }
                }
                Arrays.sort(fresh, 0, freshCount);
                result = merge(kept, keptCount, fresh, freshCount);
            }
            sorted = result;
            added.clear();
            generation++;
            return result;
        }

        private static String[] merge(String[] a, int aCount, String[] b, int bCount) {
            String[] out = new String[aCount + bCount];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < aCount && j < bCount) {
                out[k++] = a[i].compareTo(b[j]) <= 0 ? a[i++] : b[j++];
            }
            System.arraycopy(a, i, out, k, aCount - i);
            System.arraycopy(b, j, out, k + aCount - i, bCount - j);
            return out;
        }

        /** The number of a live id. */
        int number(String id) {
            return numbers.get(id);
        }

        /** The ids in use. */
        int size() {
            return numbers.size();
        }

        /** One more than the largest number in use. */
        int capacity() {
            return used;
        }
    }
}
