package io.prefpipe.optimizer.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying an array by a number where autograd may differentiate the product. DJL's {@code NDArray.mul(Number)}
 * on the PyTorch engine wraps the number in a tensor over a Java direct buffer and closes it right after the
 * product; the multiplication's backward node keeps that tensor to scale the gradient, but nothing keeps the buffer
 * under it, so a garbage collection between the forward and the backward pass frees memory the backward pass then
 * reads, and the gradient silently comes out wrong. Training a small policy, that happened to one step in fifty to a
 * hundred, and to every step when a collection was forced in between. The same holds for {@code div}, {@code pow}, {@code maximum} and {@code minimum}
 * with a number.
 *
 * <p>Here the number is a tensor in the engine's own memory, which the backward node keeps alive for as long as it
 * needs it.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code x · value}, in {@code x}'s type and manager. */
    public static NDArray mul(NDArray x, double value) {
        try (NDArray scalar = x.getManager().full(new Shape(), (float) value, x.getDataType())) {
            return x.mul(scalar);
        }
    }
}
