package io.prefpipe.ingestion.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary encoding of one generated record type, the form prefpipe's Kafka topics carry (no schema registry
 * framing). Decoding trusts nothing in the bytes: see {@link #decode}. Not thread-safe: it reuses its encoder, decoder
 * and buffer; create one per thread.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient SpecificDatumWriter<T> writer;
    private transient SpecificDatumReader<T> reader;
    private transient PathTrackingReader<T> diagnosis;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;
    private transient BoundedDecoder bounded;
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
     * Decodes one record. Hostile bytes fail here with a message and the field being read, never with an
     * {@link OutOfMemoryError}: no declared length or item count may exceed the message's size, and every string must
     * be valid UTF-8.
     *
     * @throws AvroDecodeException if the bytes are not a whole record of this type (truncated, corrupt, declaring more
     *     than they hold, holding a string that is not UTF-8, or followed by trailing bytes)
     */
    public T decode(byte[] bytes) throws AvroDecodeException {
        if (reader == null) {
            reader = new SpecificDatumReader<>(type);
            bounded = new BoundedDecoder();
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        T record;
        boolean trailing;
        try {
            record = reader.read(null, bounded.reset(decoder, bytes.length));
            trailing = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            String field = fieldWhereDecodingFails(bytes);
            // Truncated input surfaces as an EOFException without a message, an unknown union branch or enum symbol as
            // a RuntimeException; the exception's class says enough.
            String what = e.getMessage() != null && e instanceof IOException ? e.getMessage() : e.toString();
            throw new AvroDecodeException("not a valid " + type.getSimpleName() + (field == null ? "" : " at " + field)
                    + ": " + what, field, e instanceof BoundedDecoder.InvalidUtf8, e);
        }
        if (trailing) {
            throw new AvroDecodeException("not a valid " + type.getSimpleName() + ": trailing bytes after the record",
                    null, false, null);
        }
        return record;
    }

    /**
     * Decodes bad bytes again, field by field, to find where they fail. Avro's fast reader, used for every message,
     * reads a whole record in generated steps that cannot say which field they were at; failures are rare enough to
     * pay for a second, slower pass.
     */
    private String fieldWhereDecodingFails(byte[] bytes) {
        if (diagnosis == null) {
            SpecificData model = SpecificData.getForClass(type);
            SpecificData slow = new SpecificData(type.getClassLoader());
            model.getConversions().forEach(slow::addLogicalTypeConversion);
            slow.setFastReaderEnabled(false);
            diagnosis = new PathTrackingReader<>(type, slow);
        }
        diagnosis.path.clear();
        try {
            diagnosis.read(null, new BoundedDecoder().reset(DecoderFactory.get().binaryDecoder(bytes, null),
                    bytes.length));
            return null;
        } catch (IOException | RuntimeException e) {
            return diagnosis.path();
        }
    }

    /**
     * A reader that knows the path of the field it is reading, so that a failure can name it. A field's segment is
     * removed only once the field has been read whole: after a failure the path still leads to where it happened.
     */
    private static final class PathTrackingReader<T> extends SpecificDatumReader<T> {
        private final Deque<Segment> path = new ArrayDeque<>();

        PathTrackingReader(Class<T> type, SpecificData data) {
            super(SpecificData.getForClass(type).getSchema(type), SpecificData.getForClass(type).getSchema(type), data);
        }

        @Override
        protected void readField(Object r, Schema.Field f, Object oldDatum, ResolvingDecoder in, Object state)
                throws IOException {
            path.addLast(new Segment(f.name()));
            super.readField(r, f, oldDatum, in, state);
            path.removeLast();
        }

        @Override
        protected Object peekArray(Object array) {
            // called before each element is read: the element's index is the number read so far
            Segment top = path.peekLast();
            if (top != null && array instanceof Collection<?> c) {
                top.index = c.size();
            }
            return super.peekArray(array);
        }

        @Override
        protected Object readMapKey(Object old, Schema expected, Decoder in) throws IOException {
            Segment top = path.peekLast();
            if (top != null) {
                top.key = null;
            }
            Object key = super.readMapKey(old, expected, in);
            if (top != null) {
                top.key = key.toString();
            }
            return key;
        }

        String path() {
            return path.isEmpty() ? null : path.stream().map(Segment::toString).collect(Collectors.joining("."));
        }
    }

    private static final class Segment {
        private final String name;
        private int index = -1;
        private String key;

        Segment(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name + (index >= 0 ? "[" + index + "]" : "") + (key != null ? "." + key : "");
        }
    }
}
