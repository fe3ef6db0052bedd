package io.prefpipe.optimizer.model.tokenizer;

/**
 * Turns text into token ids and back. Encoding never adds special tokens: where BOS and EOS go is the business of the
 * sequence format, not of the tokenizer. Implementations may hold native memory, hence {@link AutoCloseable}.
 */
public interface Tokenizer extends AutoCloseable {

    /** Number of ids: every id this tokenizer produces or decodes is in 0..vocabularySize−1. */
    int vocabularySize();

    /** The ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /**
     * The text of {@code ids}, skipping special tokens; bytes that do not form valid UTF-8 (a sample cut inside a
     * character) become U+FFFD.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    String decode(int[] ids);

    /** Releases native memory; the default holds none. */
    @Override
    default void close() {}
}
