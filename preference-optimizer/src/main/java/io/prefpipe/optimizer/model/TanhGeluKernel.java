package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.prefpipe.optimizer.internal.TorchScriptModule;

/**
 * GELU's tanh approximation as PyTorch's own kernel, {@code torch.gelu(x, approximate="tanh")}, which DJL's API does
 * not reach: its {@code gelu} is the exact one. Spelled out in DJL ops the approximation takes eight elementwise passes
 * forward and about twice that backward, each allocating an activation-sized array; in a GPT-2-shaped block that took
 * about as long as all the block's matmuls together. The fused kernel is one pass each way, and is what PyTorch runs for it.
 *
 * <p>The kernel is reached through a one-method {@link TorchScriptModule}, loaded once per JVM. Its method runs under
 * the caller's autograd mode like any other op, so it records a backward node while training and nothing otherwise.
 */
final class TanhGeluKernel {

    private static final String METHODS = """
            def forward(self: __torch__.TanhGelu, x: Tensor) -> Tensor:
              return torch.gelu(x, approximate="tanh")
            """;

    private TanhGeluKernel() {}

    /** {@code torch.gelu(x, approximate="tanh")}; the result lives in {@code x}'s manager. */
    static NDArray apply(NDArray x) {
        // "training" here means: do not force no-grad; whether a graph is recorded is up to the caller's collector
        return IValueUtils.forward(Holder.MODULE, new NDList(x), true).singletonOrThrow();
    }

    /** Loads the module on first use; it lives as long as the engine. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = TorchScriptModule.load("TanhGelu", METHODS);
    }
}
