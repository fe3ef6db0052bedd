package io.prefpipe.optimizer.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir Path dir;

    @Test
    void writeThenRead_roundTripsValuesShapesAndMetadata() throws Exception {
        Path file = dir.resolve("t.safetensors");
        FloatTensor matrix = new FloatTensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f});
        FloatTensor vector = new FloatTensor(new long[] {1}, new float[] {42});
        SafeTensorsWriter.write(file, Map.of("b.matrix", matrix, "a.vector", vector), Map.of("format", "pt"));

        try (SafeTensorsFile read = SafeTensorsFile.open(file)) {
            assertThat(read.names()).containsExactly("a.vector", "b.matrix");
            assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
            assertThat(read.dtype("b.matrix")).isEqualTo("F32");
            assertThat(read.read("b.matrix")).isEqualTo(matrix);
            assertThat(read.read("a.vector")).isEqualTo(vector);
        }
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // data starts 8-byte aligned; 2 + 6 floats follow the header
        assertThat(headerLength % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + headerLength + 4 * 7);
        // name order: a.vector occupies the first 4 data bytes, little-endian 42f = 0x42280000
        assertThat(ByteBuffer.wrap(bytes, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat())
                .isEqualTo(42f);
    }

    @Test
    void read_float16AndBfloat16_convertExactly() throws Exception {
        // F16: 0x3C00 = 1, 0xC000 = -2, 0x3555 = 0.333251953125, 0x0001 = 2^-24 (subnormal), 0x7C00 = +inf
        // BF16: the upper half of a float: 0x3F80 = 1, 0x4049 = 3.140625, 0xC2F7 = -123.5
        Path file = write("{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[10,16]}}",
                shorts(0x3C00, 0xC000, 0x3555, 0x0001, 0x7C00, 0x3F80, 0x4049, 0xC2F7));
        try (SafeTensorsFile read = SafeTensorsFile.open(file)) {
            assertThat(read.readFloats("h")).containsExactly(1f, -2f, 0.333251953125f, 0x1p-24f,
                    Float.POSITIVE_INFINITY);
            assertThat(read.readFloats("b")).containsExactly(1f, 3.140625f, -123.5f);
        }
    }

    @Test
    void read_integerTensor_isListedButRefused() throws Exception {
        Path file = write("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        try (SafeTensorsFile read = SafeTensorsFile.open(file)) {
            assertThat(read.names()).containsExactly("ids");
            assertThatThrownBy(() -> read.readFloats("ids")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ids").hasMessageContaining("I64");
            assertThatThrownBy(() -> read.shape("missing")).hasMessageContaining("no tensor missing");
        }
    }

    @Test
    void open_offsetsBeyondTheData_isRefused() throws Exception {
        Path file = write("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]);
        assertThatThrownBy(() -> SafeTensorsFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("tensor x").hasMessageContaining("outside");
    }

    @Test
    void open_byteCountDisagreeingWithShape_isRefused() throws Exception {
        // shape [3] of F32 needs 12 bytes, the offsets span 8
        Path file = write("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafeTensorsFile.open(file)).hasMessageContaining("needs 12 bytes");
    }

    @Test
    void open_headerLongerThanTheFile_isRefused() throws Exception {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertThatThrownBy(() -> SafeTensorsFile.open(file)).hasMessageContaining("header length 1000");
    }

    @Test
    void tensor_dataNotMatchingShape_isRefused() {
        assertThatThrownBy(() -> new FloatTensor(new long[] {2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 4");
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json).put(data);
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, buffer.array());
        return file;
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }
}
