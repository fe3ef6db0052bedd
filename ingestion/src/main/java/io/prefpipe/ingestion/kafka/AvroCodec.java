package io.prefpipe.ingestion.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary encoding of one generated record type, the form prefpipe's Kafka topics carry (no schema registry
 * framing). Not thread-safe: it reuses its encoder, decoder and buffer; create one per thread.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient SpecificDatumWriter<T> writer;
    private transient SpecificDatumReader<T> reader;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;
    private transient ByteArrayOutputStream buffer;

    public AvroCodec(Class<T> type) {
        this.type = type;
    }

    public byte[] encode(T record) {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(type);
            buffer = new ByteArrayOutputStream(1024);
        }
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes one record.
     *
     * @throws IOException if the bytes are not a whole record of this type (truncated, corrupt, or trailing bytes)
     */
    public T decode(byte[] bytes) throws IOException {
        if (reader == null) {
            reader = new SpecificDatumReader<>(type);
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // Truncated input surfaces as an EOFException without a message; callers need one to report.
            throw new IOException("not a valid " + type.getSimpleName() + ": " + e, e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("not a valid " + type.getSimpleName() + ": trailing bytes after the record");
        }
        return record;
    }
}
