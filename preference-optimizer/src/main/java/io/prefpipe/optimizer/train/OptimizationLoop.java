package io.prefpipe.optimizer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every trainer shares: a DJL {@link Trainer} with AdamW over the policy, one optimizer step per batch in its
 * own {@link NDManager}, global-norm gradient clipping, and progress reporting.
 *
 * <p>Each step's arrays (inputs, activations, the autograd graph, gradient handles) live in a sub-manager closed at the
 * end of the step, so native memory stays flat over a run; only the optimizer state, created at the first step, is
 * added to the model's manager.
 */
public final class OptimizationLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OptimizationLoop.class);

    /** Computes one batch's loss inside the gradient collector. */
    public interface StepFunction {
        /**
         * @param manager the step's manager: create every array in it
         * @param trainer the trainer, for the policy's forward pass
         */
        StepOutput forward(NDManager manager, Trainer trainer);
    }

    /**
     * @param loss scalar to minimize
     * @param metrics reported as they are, {@code loss} among them
     */
    public record StepOutput(NDArray loss, Map<String, Double> metrics) {}

    private final Trainer trainer;
    private final TrainingConfig config;
    private final List<Parameter> trainable;

    public OptimizationLoop(TrainableModel model, TrainingConfig config, Loss loss) {
        this.config = config;
        if (model.usesDropout()) {
            // dropout masks come from the engine's generator; seeding it is the only way to make them repeatable
            Engine.getInstance().setRandomSeed((int) config.seed());
        }
        Optimizer adamW = Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                .optWeightDecays((float) config.weightDecay())
                .build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                .optOptimizer(adamW)
                .optDevices(new Device[] {Device.cpu()}));
        this.trainable = trainer.getModel().getBlock().getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    /** Runs {@code totalSteps} steps, asking {@code batches} for each step's loss, and reports each to the listener. */
    public TrainingResult run(int totalSteps, Supplier<StepFunction> batches, TrainingListener listener) {
        List<Double> losses = new ArrayList<>(totalSteps);
        Map<String, Double> metrics = Map.of();
        long start = System.nanoTime();
        for (int step = 1; step <= totalSteps; step++) {
            metrics = step(batches.get());
            double loss = metrics.get("loss");
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + step + "; lower the learning rate "
                        + config.learningRate() + " or set maxGradNorm");
            }
            losses.add(loss);
            listener.onStep(new TrainingProgress(step, totalSteps, Duration.ofNanos(System.nanoTime() - start),
                    metrics));
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        TrainingResult result = new TrainingResult(totalSteps, losses, metrics, duration);
        LOG.info("trained {} steps in {} ms ({} steps/s), final metrics {}", totalSteps, duration.toMillis(),
                String.format(Locale.ROOT, "%.1f", result.stepsPerSecond()), metrics);
        return result;
    }

    private Map<String, Double> step(StepFunction function) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            StepOutput output;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                output = function.forward(manager, trainer);
                collector.backward(output.loss());
            }
            double gradNorm = clipGradients(manager);
            trainer.step();
            Map<String, Double> metrics = new LinkedHashMap<>(output.metrics());
            metrics.put("grad_norm", gradNorm);
            return metrics;
        }
    }

    /**
     * Scales all gradients by min(1, maxGradNorm / ‖g‖₂), ‖g‖₂ over all parameters together (as PyTorch's
     * {@code clip_grad_norm_}); returns ‖g‖₂ before clipping.
     */
    private double clipGradients(NDManager manager) {
        NDList gradients = new NDList(trainable.size());
        for (Parameter parameter : trainable) {
            NDArray gradient = parameter.getArray().getGradient();
            // a gradient handle attaches to the parameter's manager; moving it here frees it with the step
            gradient.attach(manager);
            gradients.add(gradient);
        }
        NDArray squares = NDArrays.stack(new NDList(gradients.stream().map(g -> g.square().sum()).toList()));
        double norm = Math.sqrt(squares.sum().getFloat());
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            double scale = config.maxGradNorm() / (norm + 1e-6);
            for (NDArray gradient : gradients) {
                gradient.muli(scale);
            }
        }
        return norm;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
