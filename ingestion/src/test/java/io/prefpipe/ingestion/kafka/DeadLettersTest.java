package io.prefpipe.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    private static final Instant TIME = Instant.parse("2026-11-28T10:00:00.123456Z");

    @Test
    void ofMessage_smallInput_keepsEverythingAndTheSource() {
        byte[] payload = {1, 2, 3};
        DeadLetter d = DeadLetters.ofMessage(payload,
                new Violation(RejectReason.UNKNOWN_RESPONSE, "judgement.preferred",
                        "judgement.preferred 'x' is unknown"),
                "curate", "feedback", 2, 41L, TIME);

        assertThat(bytes(d.getPayload())).containsExactly(1, 2, 3);
        assertThat(d.getReason()).isEqualTo("unknown_response");
        assertThat(d.getField()).isEqualTo("judgement.preferred");
        assertThat(d.getMessage()).isEqualTo("judgement.preferred 'x' is unknown");
        assertThat(d.getStage()).isEqualTo("curate");
        assertThat(d.getSourceTopic()).isEqualTo("feedback");
        assertThat(d.getSourcePartition()).isEqualTo(2);
        assertThat(d.getSourceOffset()).isEqualTo(41L);
        assertThat(d.getSourceFile()).isNull();
        assertThat(d.getDeadLetterTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123Z"));
    }

    @Test
    void ofMessage_inputAtKafkasLimitWithHostileFieldAndMessage_stillFitsOneDefaultKafkaMessage() {
        // a value just under the producer's default max.request.size, quoting a 700 KB map key in field and message
        byte[] payload = new byte[1_048_000];
        Arrays.fill(payload, (byte) 'x');
        String key = "k".repeat(700_000);
        DeadLetter d = DeadLetters.ofMessage(payload, new Violation(RejectReason.UNKNOWN_RESPONSE,
                        "judgement.scores." + key, "judgement.scores rates '" + key + "', which is unknown"),
                "curate", "feedback.json", 0, 7L, TIME);

        assertThat(d.getPayload().remaining()).isEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
        assertThat(bytes(d.getPayload())).isEqualTo(Arrays.copyOf(payload, DeadLetters.MAX_PAYLOAD_BYTES));
        assertThat(d.getField()).hasSize(DeadLetters.MAX_FIELD_CHARS + 1).startsWith("judgement.scores.kkk")
                .endsWith("\u2026");
        assertThat(d.getMessage()).startsWith("judgement.scores rates 'kkk")
                .endsWith("\u2026 (payload cut to its first 524288 of 1048000 bytes)");
        int encoded = new AvroCodec<>(DeadLetter.class).encode(d).length;
        assertThat(encoded).isLessThan(600_000);
    }

    @Test
    void ofLine_recordsTheFileAndBoundsLikeAMessage() {
        byte[] payload = new byte[DeadLetters.MAX_PAYLOAD_BYTES + 1];
        DeadLetter d = DeadLetters.ofLine(payload, new Violation(RejectReason.TOO_LARGE, null, "line too long"),
                "in.jsonl", 3, TIME);

        assertThat(d.getStage()).isEqualTo(DeadLetters.STAGE_INGEST);
        assertThat(d.getSourceFile()).isEqualTo("in.jsonl");
        assertThat(d.getSourceLine()).isEqualTo(3L);
        assertThat(d.getSourceTopic()).isNull();
        assertThat(d.getField()).isNull();
        assertThat(d.getPayload().remaining()).isEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
        assertThat(d.getMessage()).isEqualTo("line too long (payload cut to its first 524288 of 524289 bytes)");
    }

    @Test
    void shorten_neverSplitsASurrogatePair() {
        String s = "ab\uD83D\uDE00cd";

        assertThat(DeadLetters.shorten(s, 3)).isEqualTo("ab\u2026");
        assertThat(DeadLetters.shorten(s, 4)).isEqualTo("ab\uD83D\uDE00\u2026");
        assertThat(DeadLetters.shorten(s, 6)).isSameAs(s);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
