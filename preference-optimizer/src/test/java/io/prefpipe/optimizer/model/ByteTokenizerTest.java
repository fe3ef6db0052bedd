package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void encodeDecode_unicode_roundTrips() {
        String text = "héllo, wörld — 日本 🙂";
        int[] ids = tokenizer.encode(text);
        assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id <= 255)).isTrue();
        assertThat(ids).hasSizeGreaterThan(text.length());
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void encode_ascii_isOneIdPerByte() {
        assertThat(tokenizer.encode("Az")).containsExactly(65, 122);
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void decode_specialIds_areSkipped() {
        assertThat(tokenizer.decode(new int[] {ByteTokenizer.BOS, 104, 105, ByteTokenizer.EOS, ByteTokenizer.PAD}))
                .isEqualTo("hi");
    }

    @Test
    void decode_outOfVocabulary_isRefused() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {ByteTokenizer.VOCAB_SIZE}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("259");
    }
}
