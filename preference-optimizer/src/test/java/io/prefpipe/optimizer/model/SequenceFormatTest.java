package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceFormatTest {
    private static final int BOS = 0;
    private static final SequenceFormat HF = SequenceFormat.concatenated(BOS, BOS);

    @Test
    void concatenated_joinsPromptAndResponseWithoutSpecialIds() {
        SequenceFormat.Framed framed = HF.frame(new int[] {5, 6}, new int[] {7, 8, 9}, 10);
        assertThat(framed.tokens()).containsExactly(5, 6, 7, 8, 9);
        assertThat(framed.responseStart()).isEqualTo(2);
    }

    @Test
    void concatenated_emptyPrompt_getsBosAsContext() {
        SequenceFormat.Framed framed = HF.frame(new int[0], new int[] {7, 8}, 10);
        assertThat(framed.tokens()).containsExactly(BOS, 7, 8);
        assertThat(framed.responseTokens()).isEqualTo(2);
    }

    @Test
    void concatenated_tooLong_cutsThePromptFromTheLeftThenTheResponseFromTheRight() {
        // context 5: response of 3 fits, so 2 prompt tokens remain, the last two
        assertThat(HF.frame(new int[] {1, 2, 3, 4}, new int[] {7, 8, 9}, 5).tokens()).containsExactly(3, 4, 7, 8, 9);
        // response of 6 > 5 − 1: it keeps its first 4 tokens after the prompt's last one
        SequenceFormat.Framed framed = HF.frame(new int[] {1, 2}, new int[] {7, 8, 9, 10, 11, 12}, 5);
        assertThat(framed.tokens()).containsExactly(2, 7, 8, 9, 10);
        assertThat(framed.responseStart()).isEqualTo(1);
        // and an empty prompt is then replaced by BOS
        assertThat(HF.frame(new int[0], new int[] {7, 8, 9, 10, 11, 12}, 5).tokens()).containsExactly(BOS, 7, 8, 9,
                10);
    }

    @Test
    void encode_emptyResponse_isRefusedNamingThePair() {
        assertThatThrownBy(() -> TokenBatch.encodeIds(HF, 10, 20, List.of(new int[] {1}, new int[] {2}),
                List.of(new int[] {3}, new int[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pair 1")
                .hasMessageContaining("no tokens");
    }

    @Test
    void encode_idOutsideTheVocabulary_isRefusedNamingThePair() {
        assertThatThrownBy(() -> TokenBatch.encodeIds(HF, 10, 20, List.of(new int[] {1}), List.of(new int[] {20})))
                .hasMessageContaining("pair 0").hasMessageContaining("token id 20");
        assertThatThrownBy(() -> TokenBatch.encodeIds(HF, 10, 20, List.of(new int[] {1}), List.of()))
                .hasMessageContaining("1 prompts but 0 responses");
    }

    @Test
    void toArrays_padsWithTheFormatsPad_andMasksOnlyResponseTargets() {
        TokenBatch batch = TokenBatch.encodeIds(HF, 10, 20, List.of(new int[] {5, 6}, new int[0]),
                List.of(new int[] {7}, new int[] {8, 9}));
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            var arrays = batch.toArrays(manager);
            // rows [5 6 7] and [BOS 8 9]: inputs drop the last token, targets the first
            assertThat(arrays.get(0).toLongArray()).containsExactly(5, 6, BOS, 8);
            assertThat(arrays.get(1).toLongArray()).containsExactly(6, 7, 8, 9);
            assertThat(arrays.get(2).toFloatArray()).containsExactly(0, 1, 1, 1);
        }
    }

    @Test
    void samplingContext_keepsThePromptTailWithinTheBudget() {
        assertThat(HF.samplingContext(new int[] {1, 2, 3}, 2)).containsExactly(2, 3);
        assertThat(HF.samplingContext(new int[0], 2)).containsExactly(BOS);
        SequenceFormat bytes = SequenceFormat.byteLevel();
        assertThat(bytes.samplingContext(new int[] {1, 2, 3}, 3)).containsExactly(ByteTokenizer.BOS, 2, 3);
        assertThat(bytes.keptPromptTokens(new int[] {1, 2, 3}, 3)).isEqualTo(2);
    }

    @Test
    void sampleable_excludesBosAndPadUnlessTheyAreEos() {
        SequenceFormat bytes = SequenceFormat.byteLevel();
        assertThat(bytes.sampleable(ByteTokenizer.EOS)).isTrue();
        assertThat(bytes.sampleable(ByteTokenizer.BOS)).isFalse();
        assertThat(bytes.sampleable(ByteTokenizer.PAD)).isFalse();
        assertThat(bytes.sampleable('a')).isTrue();
        assertThat(HF.sampleable(BOS)).isTrue();
    }
}
