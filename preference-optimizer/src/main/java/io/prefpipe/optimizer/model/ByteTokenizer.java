package io.prefpipe.optimizer.model;

import io.prefpipe.optimizer.model.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer: ids 0..255 are the UTF-8 bytes of the text, followed by three special ids.
 *
 * <pre>
 *   0..255  one UTF-8 byte each
 *   256     BOS, begins every sequence
 *   257     EOS, ends a response
 *   258     PAD, fills a batch row after its sequence; never a target
 * </pre>
 *
 * <p>There is no vocabulary to learn or ship, so any text can be encoded and every checkpoint is compatible with every
 * other one. Stateless and thread-safe.
 */
public final class ByteTokenizer implements Tokenizer {

    /** Begin-of-sequence id. */
    public static final int BOS = 256;
    /** End-of-sequence id: the policy emits it to end a response. */
    public static final int EOS = 257;
    /** Padding id. */
    public static final int PAD = 258;
    /** Number of ids: 256 bytes and 3 special ids. */
    public static final int VOCAB_SIZE = 259;

    /** {@value #VOCAB_SIZE}. */
    @Override
    public int vocabularySize() {
        return VOCAB_SIZE;
    }

    /** The UTF-8 bytes of {@code text} as ids 0..255, without special ids. */
    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    /**
     * Decodes byte ids as UTF-8, skipping special ids; malformed byte sequences (e.g. a sample cut inside a
     * multi-byte character) become U+FFFD.
     *
     * @throws IllegalArgumentException if an id is outside 0..{@value #VOCAB_SIZE}-1
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.." + (VOCAB_SIZE - 1));
            }
            if (id < BOS) {
                bytes.write(id);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
