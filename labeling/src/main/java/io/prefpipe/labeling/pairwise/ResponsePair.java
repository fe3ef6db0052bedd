package io.prefpipe.labeling.pairwise;

import java.util.Objects;

/**
 * An unordered pair of distinct responses, stored in canonical order ({@code first < second}) so that votes from
 * judgements that listed the responses in different orders land on the same pair.
 */
public record ResponsePair(String first, String second) implements Comparable<ResponsePair> {
    public ResponsePair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.compareTo(second) >= 0) {
            throw new IllegalArgumentException(
                    "pair must be in canonical order first < second, got (" + first + ", " + second + ")");
        }
    }

    /** The canonical pair of two distinct ids given in any order. */
    public static ResponsePair of(String a, String b) {
        return a.compareTo(b) < 0 ? new ResponsePair(a, b) : new ResponsePair(b, a);
    }

    @Override
    public int compareTo(ResponsePair o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : second.compareTo(o.second);
    }
}
