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
import java.util.Comparator;
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

    private final int capacity;
    private final Dictionary comparisons = new Dictionary();
    private final Dictionary items = new Dictionary();
    private final Dictionary annotators = new Dictionary();
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
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
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
        Integer[] boxed = new Integer[n];
        for (int k = 0; k < n; k++) {
            boxed[k] = slot(k);
        }
        Arrays.sort(boxed, Comparator.<Integer, String>comparing(s -> comparisons.id(comparison[s]))
                .thenComparing(s -> items.id(item[s]))
                .thenComparing(s -> annotators.id(annotator[s]))
                .thenComparingInt(s -> label[s])
                .thenComparingInt(s -> shownFirst[s]));

        int[] itemOf = new int[items.capacity()];
        int[] annotatorOf = new int[annotators.capacity()];
        Arrays.fill(itemOf, -1);
        Arrays.fill(annotatorOf, -1);
        String[] itemIds = new String[items.size()];
        String[] annotatorIds = new String[annotators.size()];
        int numItems = 0;
        int numAnnotators = 0;
        int[] dItem = new int[n];
        int[] dAnnotator = new int[n];
        int[] dLabel = new int[n];
        int[] dShown = null;
        for (int j = 0; j < n; j++) {
            int s = boxed[j];
            int i = item[s];
            if (itemOf[i] < 0) {
                itemOf[i] = numItems;
                itemIds[numItems++] = items.id(i);
            }
            int a = annotator[s];
            if (annotatorOf[a] < 0) {
                annotatorOf[a] = numAnnotators;
                annotatorIds[numAnnotators++] = annotators.id(a);
            }
            dItem[j] = itemOf[i];
            dAnnotator[j] = annotatorOf[a];
            dLabel[j] = label[s];
            if (shownFirst[s] != UNKNOWN_POSITION && dShown == null) {
                // as CrowdDataset.Builder: positions are recorded once any judgement has one
                dShown = new int[n];
                Arrays.fill(dShown, 0, j, CrowdDataset.UNKNOWN_POSITION);
            }
            if (dShown != null) {
                dShown[j] = shownFirst[s];
            }
        }
        // every live id is in the window, so the arrays are full; ids of one dictionary are distinct
        return CrowdDataset.ofIndices(IdIndex.ofDistinct(itemIds), IdIndex.ofDistinct(annotatorIds), CLASSES,
                dItem, dAnnotator, dLabel, dShown);
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

    /** Ids numbered densely, each number reused once the last vote holding it has left. */
    private static final class Dictionary {
        private final Map<String, Integer> numbers = new HashMap<>();
        private String[] ids = new String[16];
        private int[] references = new int[16];
        private int[] free = new int[16];
        private int freeCount;
        private int used;

        int acquire(String id) {
            Integer n = numbers.get(id);
            if (n == null) {
                n = freeCount > 0 ? free[--freeCount] : newNumber();
                numbers.put(id, n);
                ids[n] = id;
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
            }
            return used++;
        }

        String id(int n) {
            return ids[n];
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
