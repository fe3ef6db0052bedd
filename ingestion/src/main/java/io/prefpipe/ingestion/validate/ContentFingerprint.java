package io.prefpipe.ingestion.validate;

import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A 64-bit fingerprint of what a judgement says, to tell a redelivery of an event from another event reusing its id.
 * It covers the comparison id, prompt, responses, judgement, display order and annotator, and leaves out
 * {@code event_time} and {@code metadata}: re-ingesting the same record in a later run legitimately changes both (the
 * ingest time, the source file). Ratings are taken in key order, so the order a map was built in does not matter.
 *
 * <p>64-bit multiply-rotate hashing over every string's length and UTF-8 bytes, eight bytes at a time in two lanes,
 * each string finished with MurmurHash3's 64-bit finalizer: about 0.3 microseconds for an event of 1,200 chars
 * (hashing its UTF-16 chars one at a time took five times as long). UTF-8 is the form events are kept and sent in, so
 * two strings that encode alike are alike to everything downstream. Not cryptographic: two different contents share a
 * fingerprint only by chance (about 2^-64) or if someone crafts the collision, and then the second event is filtered
 * as a duplicate rather than dead-lettered.
 */
public final class ContentFingerprint {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long M1 = 0x9e3779b97f4a7c15L;
    private static final long M2 = 0xc2b2ae3d27d4eb4fL;
    private static final long LANE_B = 0x165667b19e3779f9L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ContentFingerprint() {}

    /** The fingerprint of a valid event's content. */
    public static long of(FeedbackEvent event) {
        long h = OFFSET;
        h = add(h, event.getComparisonId());
        h = add(h, event.getPrompt());
        h = add(h, event.getResponses().size());
        for (Response r : event.getResponses()) {
            h = add(h, r.getId());
            h = add(h, r.getText());
            h = add(h, r.getPolicyVersion());
        }
        Object j = event.getJudgement();
        if (j instanceof PairwiseChoice c) {
            h = add(h, "pairwise");
            h = add(h, c.getPreferred());
            h = add(h, c.getTie() ? 1 : 0);
            h = add(h, c.getStrength() == null ? -1 : Double.doubleToLongBits(c.getStrength()));
        } else if (j instanceof Ranking r) {
            h = add(h, "ranking");
            h = add(h, r.getOrder().size());
            for (String id : r.getOrder()) {
                h = add(h, id);
            }
        } else if (j instanceof Ratings r) {
            h = add(h, "ratings");
            h = add(h, r.getScores().size());
            for (Map.Entry<String, Double> e : new TreeMap<>(r.getScores()).entrySet()) {
                h = add(h, e.getKey());
                h = add(h, Double.doubleToLongBits(e.getValue()));
            }
        }
        h = add(h, event.getShownOrder().size());
        for (String id : event.getShownOrder()) {
            h = add(h, id);
        }
        h = add(h, event.getAnnotator().getId());
        return add(h, event.getAnnotator().getKind().name());
    }

    private static long add(long h, String s) {
        if (s == null) {
            return add(h, -1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        // two independent lanes, so the multiplications overlap instead of waiting on each other
        long a = add(h, n);
        long b = a ^ LANE_B;
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            a = Long.rotateLeft((a ^ (long) LONGS.get(bytes, i)) * M1, 29);
            b = Long.rotateLeft((b ^ (long) LONGS.get(bytes, i + 8)) * M2, 31);
        }
        if (i + 8 <= n) {
            a = Long.rotateLeft((a ^ (long) LONGS.get(bytes, i)) * M1, 29);
            i += 8;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) {
            tail |= (bytes[i] & 0xffL) << shift;
        }
        b = Long.rotateLeft((b ^ tail) * M2, 31);
        return finish(a ^ Long.rotateLeft(b, 17));
    }

    private static long add(long h, long v) {
        return finish(Long.rotateLeft((h ^ v) * M1, 31) + LANE_B);
    }

    /** MurmurHash3's fmix64: every input bit affects every output bit. */
    private static long finish(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        return k ^ (k >>> 33);
    }
}
