package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter, 2019, "Decoupled Weight Decay Regularization") with the update of PyTorch's {@code
 * torch.optim.AdamW}: at step t, for each parameter θ with gradient g, learning rate η and weight decay λ,
 *
 * <pre>
 *   θ ← θ − η·λ·θ
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − η / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>The step count and every parameter's moments m and v are the state {@link #save} writes and {@link #load}
 * restores, so a resumed run makes the very updates an uninterrupted one would. DJL's own AdamW keeps them in private
 * maps, and adds ε before the bias correction of v, which is a different update for small v.
 *
 * <p>All parameters are updated by one call of PyTorch's fused multi-tensor kernel ({@code torch._fused_adamw_}, what
 * {@code torch.optim.AdamW(fused=True)} runs), which computes exactly the update above in one pass over each
 * parameter, its gradient and its moments; the parameters' gradients are zeroed after it for the next step.
 *
 * <p>The moments live in native memory this optimizer owns: close it. Not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private static final int FORMAT_MAGIC = 0x50504157; // "PPAW"
    private static final int FORMAT_VERSION = 1;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    /**
     * @throws IllegalArgumentException naming the hyperparameter that is out of range: β1 and β2 in [0, 1), ε finite
     *     and &gt; 0, weight decay finite and ≥ 0
     */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = requireBeta("beta1", beta1);
        this.beta2 = requireBeta("beta2", beta2);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** The optimizer a {@link TrainingConfig} describes. */
    public static AdamW of(TrainingConfig config) {
        return new AdamW(config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(), config.weightDecay());
    }

    private static double requireBeta(String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
        }
        return beta;
    }

    /** Updates taken so far: t of the last update. */
    public long steps() {
        return steps;
    }

    /**
     * Updates every parameter in place from its gradient, then zeroes the parameters' gradients. The first update
     * fixes the parameter names; later ones must pass the same.
     *
     * @param learningRate η of this step, finite and ≥ 0
     * @param weights the parameters by stable name (names survive a save and load of the model, DJL's parameter ids
     *     do not)
     * @param gradients their gradients, by the same names
     * @throws IllegalArgumentException if the names differ from each other or from earlier steps, or η is invalid
     */
    public void step(double learningRate, Map<String, NDArray> weights, Map<String, NDArray> gradients) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
        }
        if (!weights.keySet().equals(gradients.keySet())) {
            throw new IllegalArgumentException("weights " + weights.keySet() + " and gradients "
                    + gradients.keySet() + " name different parameters");
        }
        if (firstMoments.isEmpty()) {
            weights.forEach((name, weight) -> {
                firstMoments.put(name, state(weight.zerosLike()));
                secondMoments.put(name, state(weight.zerosLike()));
            });
        } else if (!firstMoments.keySet().equals(weights.keySet())) {
            throw new IllegalArgumentException("the optimizer holds state for " + firstMoments.keySet()
                    + " but was given " + weights.keySet());
        }
        long t = steps + 1;
        List<NDArray> params = new ArrayList<>(weights.size());
        List<NDArray> grads = new ArrayList<>(weights.size());
        List<NDArray> first = new ArrayList<>(weights.size());
        List<NDArray> second = new ArrayList<>(weights.size());
        weights.forEach((name, weight) -> {
            params.add(weight);
            grads.add(gradients.get(name));
            first.add(firstMoments.get(name));
            second.add(secondMoments.get(name));
        });
        if (!params.isEmpty()) {
            GradientKernels.adamw(params, grads, first, second, t, learningRate, beta1, beta2, weightDecay, epsilon);
        }
        steps = t;
    }

    private NDArray state(NDArray array) {
        array.attach(manager);
        return array;
    }

    /** Writes the hyperparameters, the step count and every moment to {@code out}; {@link #load} reads them. */
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT_MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeDouble(beta1);
        data.writeDouble(beta2);
        data.writeDouble(epsilon);
        data.writeDouble(weightDecay);
        data.writeLong(steps);
        data.writeInt(firstMoments.size());
        for (String name : firstMoments.keySet()) {
            data.writeUTF(name);
            writeArray(data, firstMoments.get(name));
            writeArray(data, secondMoments.get(name));
        }
        data.flush();
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Replaces this optimizer's state with the one {@link #save} wrote, placing each moment next to its parameter.
     *
     * @param weights the parameters the state belongs to, by name
     * @throws IOException if the stream is not a saved AdamW state, or was saved with other hyperparameters or for
     *     other parameters (names or shapes)
     */
    public void load(InputStream in, Map<String, NDArray> weights) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != FORMAT_MAGIC) {
            throw new IOException("not a saved AdamW state");
        }
        int version = data.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("AdamW state version " + version + " is not supported, only " + FORMAT_VERSION);
        }
        double[] saved = {data.readDouble(), data.readDouble(), data.readDouble(), data.readDouble()};
        double[] mine = {beta1, beta2, epsilon, weightDecay};
        if (!Arrays.equals(saved, mine)) {
            throw new IOException("the AdamW state was saved with (beta1, beta2, epsilon, weightDecay) = "
                    + Arrays.toString(saved) + ", this optimizer has " + Arrays.toString(mine));
        }
        long savedSteps = data.readLong();
        int count = data.readInt();
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = data.readUTF();
                NDArray weight = weights.get(name);
                if (weight == null) {
                    throw new IOException("the AdamW state has moments for parameter " + name
                            + ", which the model does not have");
                }
                first.put(name, readArray(data, weight));
                second.put(name, readArray(data, weight));
            }
            if (!first.keySet().equals(weights.keySet())) {
                throw new IOException("the AdamW state covers parameters " + first.keySet() + ", the model has "
                        + weights.keySet());
            }
        } catch (IOException | RuntimeException e) {
            first.values().forEach(NDArray::close);
            second.values().forEach(NDArray::close);
            throw e;
        }
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        firstMoments.putAll(first);
        secondMoments.putAll(second);
        steps = savedSteps;
    }

    private NDArray readArray(DataInputStream in, NDArray weight) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray array = state(NDArray.decode(weight.getManager(), bytes));
        if (!array.getShape().equals(weight.getShape()) || array.getDataType() != weight.getDataType()) {
            array.close();
            throw new IOException("a saved moment of shape " + array.getShape() + " does not fit a parameter of shape "
                    + weight.getShape() + " and type " + weight.getDataType());
        }
        return array;
    }

    @Override
    public void close() {
        manager.close();
    }
}
