package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.prefpipe.optimizer.internal.TorchScriptModule;

/**
 * Causal self-attention as PyTorch's fused kernel, {@code torch.nn.functional.scaled_dot_product_attention(q, k, v,
 * is_causal=True)}, which DJL's API does not reach:
 *
 * <pre>
 *   Y = softmax(Q K^T / √D + M) V        M: 0 where key ≤ query, −∞ above the diagonal
 * </pre>
 *
 * <p>Spelled out in DJL ops this materialises the (B, H, T, T) scores three times (product, masked, softmax) and again
 * backward, and copies Q, K and V into contiguous batches for the products. On the CPU the fused kernel (flash
 * attention) works through blocks of queries and keys with an online softmax, skips the blocks wholly above the
 * diagonal and stores no score matrix, forward or backward. The result equals the spelled-out one up to float rounding.
 *
 * <p>Reached through a one-method {@link TorchScriptModule}, loaded once per JVM; it runs under the caller's autograd
 * mode like any other op.
 */
final class CausalAttentionKernel {

    private static final String METHODS = """
            def forward(self: __torch__.CausalAttention, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
              return torch.scaled_dot_product_attention(q, k, v, None, 0.0, True)
            """;

    private CausalAttentionKernel() {}

    /**
     * @param q (B, H, T, D), not scaled: the kernel divides the scores by √D
     * @param k (B, H, T, D)
     * @param v (B, H, T, D)
     * @return (B, H, T, D), in {@code q}'s manager
     */
    static NDArray apply(NDArray q, NDArray k, NDArray v) {
        return IValueUtils.forward(Holder.MODULE, new NDList(q, k, v), true).singletonOrThrow();
    }

    /** Loads the module on first use; it lives as long as the engine. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = TorchScriptModule.load("CausalAttention", METHODS);
    }
}
