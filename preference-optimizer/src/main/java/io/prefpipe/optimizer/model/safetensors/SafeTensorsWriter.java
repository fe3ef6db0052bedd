package io.prefpipe.optimizer.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes float32 tensors as a safetensors file (the format {@link SafeTensorsFile} reads). */
public final class SafeTensorsWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafeTensorsWriter() {}

    /**
     * Writes {@code tensors} as F32 to {@code file}, replacing it. Tensors are laid out in name order, and the header
     * is padded with spaces to a multiple of 8 bytes so every tensor starts aligned, as the reference implementation
     * does.
     *
     * @param metadata the header's {@code __metadata__}; transformers refuses a file without {@code "format": "pt"}
     */
    public static void write(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, FloatTensor> sorted = new TreeMap<>(tensors);
        ObjectNode header = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, FloatTensor> entry : sorted.entrySet()) {
            if (entry.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("__metadata__ is reserved and cannot name a tensor");
            }
            FloatTensor tensor = entry.getValue();
            long bytes = 4L * tensor.data().length;
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", "F32");
            long[] shape = tensor.shape();
            var dims = node.putArray("shape");
            for (long extent : shape) {
                dims.add(extent);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = MAPPER.writeValueAsBytes(header); // UTF-8
        int padded = (json.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(padded).put(json);
            while (prefix.hasRemaining()) {
                prefix.put((byte) ' ');
            }
            out.write(prefix.array());
            ByteBuffer chunk = ByteBuffer.allocate(4 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatTensor tensor : sorted.values()) {
                float[] data = tensor.data();
                for (int from = 0; from < data.length; from += 1 << 16) {
                    int count = Math.min(1 << 16, data.length - from);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, from, count);
                    out.write(chunk.array(), 0, 4 * count);
                }
            }
        }
    }
}
