package io.prefpipe.optimizer.model.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor in row-major order.
 *
 * <p>The data array is shared, not copied (tensors are large): whoever builds a tensor hands the array over and no
 * longer writes to it. The shape is copied.
 *
 * @param shape the extent of each dimension, outermost first; empty for a scalar
 * @param data {@code Π shape} values, the last dimension varying fastest
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long elements = elementCount(shape);
        if (elements != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + elements);
        }
    }

    /** The shape, as a copy. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Π shape; refuses negative extents. */
    static long elementCount(long[] shape) {
        long elements = 1;
        for (long extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative extent");
            }
            elements = Math.multiplyExact(elements, extent);
        }
        return elements;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
