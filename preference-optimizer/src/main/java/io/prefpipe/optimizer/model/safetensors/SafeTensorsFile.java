package io.prefpipe.optimizer.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file: its header is parsed and checked when opened, tensor data is read on demand.
 *
 * <pre>
 *   bytes 0..7        N, the header length, unsigned little-endian
 *   bytes 8..8+N      JSON: {"__metadata__": {str: str}, name: {"dtype": D, "shape": [..], "data_offsets": [b, e]}, ...}
 *   bytes 8+N..       the data; a tensor occupies [8+N+b, 8+N+e), little-endian, row-major
 * </pre>
 *
 * <p>{@link #readFloats(String)} converts F32, F16 and BF16 tensors to float32; other dtypes can be listed but not read.
 * Reading only what is asked keeps memory at one tensor beyond what the caller keeps. Holds the file open: close it.
 */
public final class SafeTensorsFile implements AutoCloseable {

    /** The header limit of the reference implementation; a larger one signals a corrupt or hostile file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private record Entry(String dtype, long[] shape, long begin, long end) {}

    private SafeTensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens {@code file} and checks its header: every tensor's byte range lies inside the data and, for dtypes of
     * known width, holds exactly Π shape elements.
     *
     * @throws IOException if the file cannot be read or is not a well-formed safetensors file; the message names it
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw malformed(file, "it has " + size + " bytes, fewer than the 8 of the header length");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw malformed(file, "header length " + Long.toUnsignedString(headerLength)
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer header = readFully(channel, 8, (int) headerLength);
            String json = StandardCharsets.UTF_8.decode(header).toString();
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(file, json, size - dataStart, metadata);
            return new SafeTensorsFile(file, channel, dataStart, entries, Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<String, Entry> parseHeader(Path file, String json, long dataSize, Map<String, String> metadata)
            throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw malformed(file, "the header is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "the header is not a JSON object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals(METADATA)) {
                node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode dtype = node.get("dtype");
            JsonNode shape = node.get("shape");
            JsonNode offsets = node.get("data_offsets");
            if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                    || !offsets.isArray() || offsets.size() != 2) {
                throw malformed(file, "tensor " + name + " lacks dtype, shape or a [begin, end] data_offsets");
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() < 0) {
                    throw malformed(file, "tensor " + name + " has shape " + shape + " with a non-natural extent");
                }
                dims[i] = shape.get(i).asLong();
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw malformed(file, "tensor " + name + " has data_offsets " + offsets + " outside the " + dataSize
                        + " data bytes");
            }
            int width = elementBytes(dtype.asText());
            if (width > 0 && end - begin != FloatTensor.elementCount(dims) * width) {
                throw malformed(file, "tensor " + name + " of dtype " + dtype.asText() + " and shape "
                        + Arrays.toString(dims) + " needs " + FloatTensor.elementCount(dims) * width
                        + " bytes but data_offsets span " + (end - begin));
            }
            entries.put(name, new Entry(dtype.asText(), dims, begin, end));
        }
        return Collections.unmodifiableMap(entries);
    }

    /** Bytes per element of a safetensors dtype, or 0 if unknown. */
    private static int elementBytes(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }

    /** The names of the tensors, in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The {@code __metadata__} of the header; empty if it has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The shape of tensor {@code name}.
     *
     * @throws IllegalArgumentException if there is no such tensor
     */
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    /**
     * The dtype of tensor {@code name} as the header spells it (F32, F16, BF16, I64, ...).
     *
     * @throws IllegalArgumentException if there is no such tensor
     */
    public String dtype(String name) {
        return entry(name).dtype();
    }

    /**
     * Tensor {@code name} converted to float32.
     *
     * @throws IllegalArgumentException if there is no such tensor, or its dtype is not F32, F16 or BF16
     * @throws IOException if reading fails
     */
    public FloatTensor read(String name) throws IOException {
        return new FloatTensor(shape(name), readFloats(name));
    }

    /** The values of tensor {@code name} as float32, row-major; see {@link #read(String)}. */
    public float[] readFloats(String name) throws IOException {
        Entry entry = entry(name);
        int width = switch (entry.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IllegalArgumentException("tensor " + name + " has dtype " + entry.dtype()
                    + "; only F32, F16 and BF16 convert to float32");
        };
        long bytes = entry.end() - entry.begin();
        if (bytes / width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + name + " has " + bytes / width
                    + " elements, more than a Java array holds");
        }
        float[] values = new float[(int) (bytes / width)];
        // chunks keep the transient byte buffer small next to the float[] result
        int chunkElements = 1 << 20;
        for (int from = 0; from < values.length; from += chunkElements) {
            int count = Math.min(chunkElements, values.length - from);
            ByteBuffer buffer = readFully(channel, dataStart + entry.begin() + (long) from * width, count * width);
            switch (entry.dtype()) {
                case "F32" -> buffer.asFloatBuffer().get(values, from, count);
                case "F16" -> {
                    for (int i = 0; i < count; i++) {
                        values[from + i] = halfToFloat(buffer.getShort());
                    }
                }
                default -> {
                    for (int i = 0; i < count; i++) {
                        values[from + i] = Float.intBitsToFloat((buffer.getShort() & 0xFFFF) << 16);
                    }
                }
            }
        }
        return values;
    }

    /** IEEE 754 binary16 to binary32, exactly (every half value is a float). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // subnormal halves are mantissa · 2⁻²⁴, normal floats
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file);
        }
        return entry;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static IOException malformed(Path file, String reason) {
        return new IOException(file + " is not a valid safetensors file: " + reason);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
