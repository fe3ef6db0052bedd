package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The two GELU activations a decoder block's MLP can use. */
public enum GeluVariant {

    /**
     * The exact GELU, x · Φ(x) = 0.5 x (1 + erf(x / √2)): DJL's {@link Activation#gelu(NDArray)}, which on the
     * PyTorch engine is {@code torch.nn.functional.gelu} without approximation. The byte-level policy's activation,
     * and transformers' {@code gelu}.
     */
    ERF,

    /**
     * The tanh approximation 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))) that GPT-2 was trained with:
     * transformers' {@code gelu_new}. Within 2·10⁻⁴ of {@link #ERF} at every x, which is enough to shift a
     * checkpoint's log-probabilities visibly if the wrong one is used. Computed by PyTorch's fused kernel, as
     * {@code torch.nn.functional.gelu(x, approximate="tanh")} (see {@link TanhGeluKernel}).
     */
    TANH;

    /** Applies this activation elementwise. */
    public NDArray apply(NDArray x) {
        if (this == ERF) {
            return Activation.gelu(x);
        }
        return TanhGeluKernel.apply(x);
    }
}
