package io.prefpipe.labeling.crowd;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable dictionary between external string ids and dense ints {@code 0..size-1}, in insertion order.
 *
 * <p>Aggregators work on the dense ints; the dictionary turns them back into the ids callers know. Serializable so a
 * fitted {@link AnnotatorModel} can be broadcast; only the ids are written, the lookup map is rebuilt on reading.
 */
public final class IdIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] ids;
    /** Built in the constructor, or when first needed for a dictionary made by {@link #ofDistinct}. */
    private transient volatile Map<String, Integer> index;

    private IdIndex(String[] ids, boolean checked) {
        this.ids = ids;
        if (checked) {
            this.index = lookup(ids);
        } else {
            for (String id : ids) {
                Objects.requireNonNull(id, "ids contains null");
            }
        }
    }

    private static Map<String, Integer> lookup(String[] ids) {
        Map<String, Integer> map = new HashMap<>(Math.max(16, (int) (ids.length / 0.75f) + 1));
        for (int i = 0; i < ids.length; i++) {
            Objects.requireNonNull(ids[i], () -> "ids contains null");
            if (map.putIfAbsent(ids[i], i) != null) {
                throw new IllegalArgumentException("ids must be distinct, '" + ids[i] + "' appears twice");
            }
        }
        return map;
    }

    private Map<String, Integer> index() {
        Map<String, Integer> map = index;
        if (map == null) {
            // idempotent: two threads that race here build equal maps
            map = lookup(ids);
            index = map;
        }
        return map;
    }

    /** The dictionary of these distinct ids, in this order. */
    public static IdIndex of(List<String> ids) {
        return new IdIndex(ids.toArray(new String[0]), true);
    }

    /**
     * The dictionary of ids the caller knows to be distinct, e.g. because they come from another dictionary, in this
     * order. It builds its lookup map only if {@link #indexOf} or {@link #contains} is ever called: a dataset rebuilt
     * again and again from the same ids (see {@code PairwiseVoteWindow}) then never pays for a map of its items that
     * nobody reads.
     *
     * @param ids distinct ids; the array is kept, not copied
     */
    public static IdIndex ofDistinct(String[] ids) {
        return new IdIndex(ids, false);
    }

    /** The dictionary {@code "0", "1", .., n-1}: for generated data whose ids are the dense ints themselves. */
    public static IdIndex range(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Integer.toString(i);
        }
        return new IdIndex(ids, true);
    }

    /** The number of ids. */
    public int size() {
        return ids.length;
    }

    /**
     * The id of a dense int.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size)}
     */
    public String id(int index) {
        return ids[index];
    }

    /** The dense int of an id, or -1 when the id is unknown. */
    public int indexOf(String id) {
        Integer i = index().get(id);
        return i == null ? -1 : i;
    }

    /** Whether the id is known. */
    public boolean contains(String id) {
        return index().containsKey(id);
    }

    /** The ids in dense-int order. */
    public List<String> ids() {
        return List.of(ids);
    }

    // The lookup map is transient: rebuild it (and re-check the ids) from the serialized ids.
    private Object readResolve() {
        return new IdIndex(ids.clone(), true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdIndex other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return ids.length <= 8 ? "IdIndex" + Arrays.toString(ids) : "IdIndex[" + ids.length + " ids]";
    }

    /** Assigns dense ints to ids in first-seen order. Not thread-safe. */
    static final class Builder {
        private final Map<String, Integer> index = new HashMap<>();
        private final ArrayList<String> ids = new ArrayList<>();

        int intern(String id) {
            Integer i = index.get(id);
            if (i != null) {
                return i;
            }
            int next = ids.size();
            index.put(id, next);
            ids.add(id);
            return next;
        }

        int indexOf(String id) {
            Integer i = index.get(id);
            return i == null ? -1 : i;
        }

        int size() {
            return ids.size();
        }

        IdIndex build() {
            // interned ids are distinct, and the builder's own map need not be built twice
            return new IdIndex(ids.toArray(new String[0]), false);
        }
    }
}
