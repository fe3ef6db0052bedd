package io.prefpipe.ingestion.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link Decoder} over one message that refuses what Avro's own binary decoder takes on trust. Avro allocates a
 * string's bytes and an array's slots from the length or count the message declares, before reading them, so a
 * ten-byte message declaring two billion items runs the JVM out of memory. Here no length or item count may exceed the
 * message's size (every string, array and map item of prefpipe's schemas takes at least one byte), so nothing larger
 * than the message is allocated. Strings must also be valid UTF-8; Avro would replace bad bytes with U+FFFD and change
 * the text without a word.
 *
 * <p>Not thread-safe; reused for one message after another through {@link #reset}.
 */
final class BoundedDecoder extends Decoder {
    /** Thrown for a string that is not UTF-8; {@link AvroCodec} turns it into an {@link AvroDecodeException}. */
    static final class InvalidUtf8 extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidUtf8(String message) {
            super(message);
        }
    }

    private BinaryDecoder in;
    private long messageBytes;
    private byte[] scratch = new byte[256];

    /** Reads {@code in}, which holds a message of {@code messageBytes} bytes. */
    BoundedDecoder reset(BinaryDecoder in, long messageBytes) {
        this.in = in;
        this.messageBytes = messageBytes;
        return this;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = readRaw("string");
        checkUtf8(length);
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(scratch, 0, result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = readRaw("string");
        String s = new String(scratch, 0, length, StandardCharsets.UTF_8);
        // The JDK's decoding is fast and replaces bad bytes with U+FFFD; only a string holding U+FFFD needs the strict
        // check that tells a real U+FFFD from a replaced byte.
        if (s.indexOf('\uFFFD') >= 0) {
            checkUtf8(length);
        }
        return s;
    }

    @Override
    public void skipString() throws IOException {
        readRaw("string");
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = readRaw("bytes");
        ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        result.put(scratch, 0, length).flip();
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        readRaw("bytes");
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return items(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return items(in.skipArray(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return items(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return items(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return items(in.skipMap(), "map");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** Reads a length-prefixed value's bytes into {@link #scratch} and returns their number. */
    private int readRaw(String what) throws IOException {
        long length = in.readLong();
        if (length < 0 || length > messageBytes) {
            throw new IOException(what + " declares " + length + " bytes, but the whole message has " + messageBytes);
        }
        int n = (int) length;
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, (int) messageBytes))];
        }
        in.readFixed(scratch, 0, n);
        return n;
    }

    private long items(long count, String what) throws IOException {
        if (count < 0 || count > messageBytes) {
            throw new IOException(what + " declares " + count + " items, but the whole message has " + messageBytes
                    + " bytes");
        }
        return count;
    }

    private void checkUtf8(int length) throws InvalidUtf8 {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(scratch, 0, length));
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8("not valid UTF-8: " + e.getMessage());
        }
    }
}
