package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.prefpipe.optimizer.internal.TorchScriptModule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * PyTorch's multi-tensor kernels for the optimizer step, which DJL's API does not reach: the fused AdamW update
 * ({@code torch._fused_adamw_}, one pass over each parameter, its gradient and its two moments, where DJL's {@code
 * adamUpdate} makes about fifteen) and the global gradient norm of {@code torch.nn.utils.clip_grad_norm_} ({@code
 * torch._foreach_norm} and {@code torch._foreach_mul_}). They run in inference mode: nothing here is differentiated.
 */
final class GradientKernels {

    private static final String METHODS = """
            def adamw(self: __torch__.GradientKernels, params: List[Tensor], grads: List[Tensor],
                first: List[Tensor], second: List[Tensor], step: Tensor, lr: float, beta1: float, beta2: float,
                weight_decay: float, eps: float) -> None:
              steps = [step for _ in params]
              torch._fused_adamw_(params, grads, first, second, [], steps, lr=lr, beta1=beta1, beta2=beta2,
                  weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
            def clip(self: __torch__.GradientKernels, grads: List[Tensor], max_norm: float) -> Tensor:
              total = torch.linalg_vector_norm(torch.stack(torch._foreach_norm(grads, 2)), 2)
              norm = float(total)
              if max_norm > 0 and norm > max_norm:
                torch._foreach_mul_(grads, max_norm / (norm + 1e-6))
              return total
            """;

    private GradientKernels() {}

    /**
     * One AdamW update of every parameter in place, as {@code torch.optim.AdamW(fused=True)} makes it (see {@link
     * AdamW} for the formula), then zeroes the parameters' own gradients ({@code .grad}) for the next step.
     *
     * @param step t, the 1-based number of this update, for the bias corrections
     */
    static void adamw(List<NDArray> params, List<NDArray> grads, List<NDArray> first, List<NDArray> second,
            long step, double lr, double beta1, double beta2, double weightDecay, double epsilon) {
        NDManager manager = params.get(0).getManager();
        try (PtNDArray t = (PtNDArray) manager.full(new Shape(), step, DataType.FLOAT32);
                IValue p = tensors(params);
                IValue g = tensors(grads);
                IValue m = tensors(first);
                IValue v = tensors(second);
                IValue tValue = IValue.from(t);
                IValue lrValue = IValue.from(lr);
                IValue beta1Value = IValue.from(beta1);
                IValue beta2Value = IValue.from(beta2);
                IValue decayValue = IValue.from(weightDecay);
                IValue epsValue = IValue.from(epsilon);
                IValue result = IValueUtils.runMethod(Holder.MODULE, "adamw", p, g, m, v, tValue, lrValue,
                        beta1Value, beta2Value, decayValue, epsValue)) {
            // the method returns None
        }
        // in TorchScript a missing .grad is an undefined tensor, not None; the engine's zeroGrad checks for it
        params.forEach(param -> JniUtils.zeroGrad((PtNDArray) param));
    }

    /**
     * Scales all gradients by {@code maxNorm / (‖g‖₂ + 1e-6)} when {@code maxNorm} is positive and below ‖g‖₂, the
     * norm over all gradients together (as {@code clip_grad_norm_}); returns ‖g‖₂ before clipping, in float32.
     */
    static double clipGlobalNorm(Collection<NDArray> grads, double maxNorm) {
        PtNDManager manager = (PtNDManager) grads.iterator().next().getManager();
        try (IValue g = tensors(new ArrayList<>(grads));
                IValue max = IValue.from(maxNorm);
                IValue result = IValueUtils.runMethod(Holder.MODULE, "clip", g, max);
                PtNDArray norm = result.toTensor(manager)) {
            return norm.getFloat();
        }
    }

    private static IValue tensors(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }

    /** Loads the module on first use; it lives as long as the engine. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = TorchScriptModule.load("GradientKernels", METHODS);
    }
}
