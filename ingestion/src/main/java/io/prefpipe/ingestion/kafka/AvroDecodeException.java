package io.prefpipe.ingestion.kafka;

import java.io.IOException;

/**
 * Bytes that are not one whole, well-formed Avro record of the expected type: truncated, corrupt, with trailing bytes,
 * with a declared length or item count the message cannot hold, or with a string that is not UTF-8.
 */
public final class AvroDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final boolean invalidUtf8;

    AvroDecodeException(String message, String field, boolean invalidUtf8, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.invalidUtf8 = invalidUtf8;
    }

    /**
     * The path of the field being read when decoding failed, such as {@code responses[1].text}; null for the whole
     * record.
     */
    public String field() {
        return field;
    }

    /** Whether the record was well-formed but a string in it is not valid UTF-8. */
    public boolean invalidUtf8() {
        return invalidUtf8;
    }
}
