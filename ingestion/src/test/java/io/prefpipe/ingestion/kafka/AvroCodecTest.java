package io.prefpipe.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
    private final AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);

    private static FeedbackEvent event(String prompt, String textB, Map<String, String> metadata) {
        return FeedbackEvent.newBuilder()
                .setEventId("e-1")
                .setComparisonId("c-1")
                .setPrompt(prompt)
                .setResponses(List.of(new Response("a", "first answer", null), new Response("b", textB, "v2")))
                .setJudgement(new PairwiseChoice("a", false, 0.5))
                .setShownOrder(List.of("b", "a"))
                .setAnnotator(new Annotator("ann-1", AnnotatorKind.AI_JUDGE))
                .setEventTime(Instant.parse("2026-11-28T10:00:00Z"))
                .setMetadata(metadata)
                .build();
    }

    @Test
    void decode_roundTrip_keepsEveryFieldIncludingARealReplacementCharacter() throws Exception {
        FeedbackEvent e = event("Prompt with \uFFFD and \u00e9", "second \u4e2d", Map.of("ui", "v2", "k", "\uFFFD"));

        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }

    @Test
    void decode_invalidUtf8InANestedString_namesTheFieldAndSaysUtf8() {
        byte[] bytes = codec.encode(event("prompt", "second \u00e9 answer", Map.of()));
        replace(bytes, "\u00e9".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28});

        assertThatThrownBy(() -> codec.decode(bytes))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.invalidUtf8()).isTrue();
                    assertThat(e.field()).isEqualTo("responses[1].text");
                    assertThat(e.getMessage()).contains("responses[1].text", "UTF-8");
                });
    }

    @Test
    void decode_invalidUtf8InAMapValue_namesTheKey() {
        byte[] bytes = codec.encode(event("prompt", "b", Map.of("source", "\u00e9")));
        replace(bytes, "\u00e9".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE});

        assertThatThrownBy(() -> codec.decode(bytes))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.invalidUtf8()).isTrue();
                    assertThat(e.field()).isEqualTo("metadata.source");
                });
    }

    @Test
    void decode_hugeDeclaredArray_failsFastWithoutAllocating() {
        // event_id, comparison_id and prompt of one byte each, then a responses array claiming 2^31 - 100 items:
        // Avro alone allocates the slots first and runs out of memory
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (char c : new char[] {'e', 'c', 'p'}) {
            varint(out, 1);
            out.write(c);
        }
        varint(out, Integer.MAX_VALUE - 100);
        out.writeBytes(new byte[] {2, 'a'});

        assertThatThrownBy(() -> codec.decode(out.toByteArray()))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.invalidUtf8()).isFalse();
                    assertThat(e.field()).isEqualTo("responses");
                    assertThat(e.getMessage()).contains("declares 2147483547 items", "has 13 bytes");
                });
    }

    @Test
    void decode_hugeDeclaredString_failsFastWithoutAllocating() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, 1L << 30);
        out.writeBytes(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> codec.decode(out.toByteArray()))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("event_id");
                    assertThat(e.getMessage()).contains("declares 1073741824 bytes");
                });
    }

    @Test
    void decode_truncatedInsideThePrompt_namesThePrompt() {
        String prompt = "a prompt long enough to cut in the middle";
        byte[] whole = codec.encode(event(prompt, "b", Map.of()));
        int at = indexOf(whole, prompt.getBytes(StandardCharsets.UTF_8)) + prompt.length() / 2;

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(whole, at)))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("prompt");
                    assertThat(e.invalidUtf8()).isFalse();
                    assertThat(e.getMessage()).contains("at prompt", "declares 41 bytes");
                });
    }

    @Test
    void decode_unknownEnumSymbolOrUnionBranch_namesTheField() {
        byte[] whole = codec.encode(event("p", "b", Map.of()));
        // the annotator kind is the byte before the event time's 6-byte varint and the empty metadata map
        byte[] badKind = whole.clone();
        int kindAt = whole.length - 8;
        assertThat(whole[kindAt]).isEqualTo((byte) (AnnotatorKind.AI_JUDGE.ordinal() * 2));
        badKind[kindAt] = 20;
        assertThatThrownBy(() -> codec.decode(badKind))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .extracting(AvroDecodeException::field).isEqualTo("annotator.kind");

        byte[] badUnion = whole.clone();
        int judgementAt = indexOf(whole, "v2".getBytes(StandardCharsets.UTF_8)) + 3;
        assertThat(whole[judgementAt]).isZero();
        badUnion[judgementAt] = 14;
        assertThatThrownBy(() -> codec.decode(badUnion))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .extracting(AvroDecodeException::field).isEqualTo("judgement");
    }

    @Test
    void decode_trailingBytes_isRefusedForTheWholeRecord() {
        byte[] whole = codec.encode(event("p", "b", Map.of()));

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(whole, whole.length + 1)))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .satisfies(e -> {
                    assertThat(e.field()).isNull();
                    assertThat(e.getMessage()).contains("trailing bytes");
                });
    }

    @Test
    void decode_afterAFailure_decodesTheNextRecordWithAFreshPath() throws Exception {
        FeedbackEvent e = event("p", "b", Map.of());
        byte[] whole = codec.encode(e);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(whole, whole.length - 3)));

        assertThat(codec.decode(whole)).isEqualTo(e);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(whole, 1)))
                .asInstanceOf(InstanceOfAssertFactories.type(AvroDecodeException.class))
                .extracting(AvroDecodeException::field).isEqualTo("event_id");
    }

    private static void varint(ByteArrayOutputStream out, long n) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static void replace(byte[] bytes, byte[] what, byte[] with) {
        System.arraycopy(with, 0, bytes, indexOf(bytes, what), with.length);
    }
}
