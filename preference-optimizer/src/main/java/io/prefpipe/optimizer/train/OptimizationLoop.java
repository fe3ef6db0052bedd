package io.prefpipe.optimizer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.prefpipe.optimizer.internal.Scalars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every trainer shares, for any {@link TrainableModel} and objective: each optimizer step back-propagates
 * its micro-batches one by one (gradient accumulation), clips the summed gradients to a global norm, and takes one
 * {@link AdamW} step at the learning rate of the {@link LearningRateSchedule}; progress goes to a listener, and with
 * {@link Checkpointing} the whole training state is saved so that {@link #restore} continues the run exactly.
 *
 * <p>Each micro-batch's arrays (inputs, activations, the autograd graph) live in a sub-manager closed after its
 * backward pass, so native memory stays flat over a run and grows with the micro-batch, not the accumulation. The
 * only lasting arrays are the optimizer's moments, created at the first step. Computation runs on the model's {@link
 * TrainableModel#device() device}.
 *
 * <p>Per-step metrics: each micro-batch's metrics averaged with the micro-batch weights (exact for metrics that are
 * means over the examples, as losses, rewards and accuracies are), plus {@code grad_norm} (before clipping) and
 * {@code learning_rate}.
 */
public final class OptimizationLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OptimizationLoop.class);

    /**
     * The environment variable that pins MKL's code paths ({@code AUTO,STRICT}); without it the same seed gave other
     * weights in two processes ({@code CrossProcessDeterminismTest}). MKL reads it once, when it loads, so only the
     * process's starter can set it.
     */
    private static final String REPRODUCIBLE_MKL = "MKL_CBWR";
    /** Micro-batch weights are shares of one step; this much rounding in their sum is tolerated. */
    private static final double WEIGHT_TOLERANCE = 1e-6;

    /** Computes one micro-batch's loss inside the gradient collector. */
    public interface StepFunction {
        /**
         * @param manager the micro-batch's manager: create every array in it
         * @param trainer the trainer, for the model's forward pass
         */
        StepOutput forward(NDManager manager, Trainer trainer);
    }

    /**
     * @param loss scalar to minimize, over the micro-batch alone
     * @param metrics reported as they are, {@code loss} among them
     */
    public record StepOutput(NDArray loss, Map<String, Double> metrics) {}

    /**
     * A part of one optimizer step's batch. The loop back-propagates {@code weight × loss}, so the accumulated
     * gradient is that of the whole batch when the weights are each part's share of the batch's objective: its
     * share of the examples for a mean over examples, of the tokens for a mean over tokens.
     *
     * @param weight in (0, 1]; the weights of a step sum to 1
     * @param function computes the part's loss
     */
    public record MicroBatch(double weight, StepFunction function) {
        public MicroBatch {
            if (!(weight > 0 && weight <= 1)) {
                throw new IllegalArgumentException("weight must be in (0, 1], got " + weight);
            }
            Objects.requireNonNull(function, "function");
        }
    }

    /** The steps' batches in order, with a position to save and to start again from. */
    public interface BatchSource {
        /** The micro-batches of the next optimizer step. */
        List<MicroBatch> next();

        /** How far the source has gone, e.g. examples drawn; a resumed run's source starts where this says. */
        long position();
    }

    /**
     * Saving training state during {@link #run}: every {@link TrainingConfig#checkpointEvery()} steps and after the
     * last.
     *
     * @param store where the states go
     * @param model saves the model's parameters
     * @param properties recorded in each state, e.g. a digest of the data to check on resume
     */
    public record Checkpointing(
            TrainingStateStore store, TrainingStateStore.ModelWriter model, Map<String, String> properties) {
        public Checkpointing {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(model, "model");
            properties = Map.copyOf(properties);
        }
    }

    private final TrainableModel model;
    private final TrainingConfig config;
    private final Trainer trainer;
    private final AdamW optimizer;
    /** By the names of the block's parameter tree: stable across save and load, unlike DJL's parameter ids. */
    private final Map<String, Parameter> trainable;
    private final List<Map<String, Double>> history = new ArrayList<>();
    private TrainingState.Manifest restored;

    /**
     * A loop whose DJL trainer names {@code loss} as its objective; the objective itself is whatever the step
     * functions return.
     */
    public OptimizationLoop(TrainableModel model, TrainingConfig config, Loss loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss).optDevices(new Device[] {model.device()}));
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : trainer.getModel().getBlock().getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                parameters.put(parameter.getKey(), parameter.getValue());
            }
        }
        this.trainable = Collections.unmodifiableMap(parameters);
        this.optimizer = AdamW.of(config);
    }

    /** A loop for an objective that is no DJL {@link Loss}, e.g. a {@code PairwisePreferenceLoss}. */
    public OptimizationLoop(TrainableModel model, TrainingConfig config) {
        this(model, config, new StepObjective());
    }

    /**
     * Continues the run saved in {@code state}: restores the optimizer, the step count, the metrics so far and the
     * elapsed time; the next {@link #run} starts at step {@code state.manifest().step() + 1}. The model must already
     * hold the state's parameters (load it from {@link TrainingState#modelDir()}), and the batch source given to
     * {@code run} must stand at the state's {@link TrainingState.Manifest#batchPosition()}.
     *
     * @throws IllegalArgumentException if the state was written with another config
     * @throws IllegalStateException if this loop has taken steps already
     * @throws IOException if the optimizer state does not load or does not fit the model
     */
    public void restore(TrainingState state) throws IOException {
        TrainingState.Manifest manifest = state.manifest();
        if (!manifest.config().equals(config)) {
            throw new IllegalArgumentException("the training state in " + state.dir() + " was written with config "
                    + manifest.config() + ", this run has " + config);
        }
        if (!history.isEmpty() || restored != null) {
            throw new IllegalStateException("restore before the first step, once");
        }
        try (InputStream in = Files.newInputStream(state.optimizerFile())) {
            optimizer.load(in, weights());
        }
        if (optimizer.steps() != manifest.step()) {
            throw new IOException("the optimizer in " + state.dir() + " took " + optimizer.steps()
                    + " steps but the state is after step " + manifest.step());
        }
        history.addAll(manifest.history());
        restored = manifest;
    }

    /**
     * Runs {@code totalSteps} steps of one micro-batch each, asking {@code batches} for each step's loss; reports each
     * step to the listener.
     */
    public TrainingResult run(int totalSteps, Supplier<StepFunction> batches, TrainingListener listener) {
        return run(totalSteps, new BatchSource() {
            private long drawn;

            @Override
            public List<MicroBatch> next() {
                drawn++;
                return List.of(new MicroBatch(1, batches.get()));
            }

            @Override
            public long position() {
                return drawn;
            }
        }, listener);
    }

    /**
     * A trainer's whole run in a new loop: from the first step, or, given {@code state}, continuing that saved run
     * ({@link #restore}); {@code batches} must already stand where the state says.
     *
     * @param state the saved run to continue, or null to start afresh
     * @param checkpointing where to save training state, or null not to
     * @throws UncheckedIOException if the optimizer state does not load
     */
    public static TrainingResult runOrResume(TrainableModel model, TrainingConfig config, int totalSteps,
            BatchSource batches, TrainingListener listener, TrainingState state, Checkpointing checkpointing) {
        try (OptimizationLoop loop = new OptimizationLoop(model, config)) {
            if (state != null) {
                loop.restore(state);
            }
            return loop.run(totalSteps, batches, listener, checkpointing);
        } catch (IOException e) {
            throw new UncheckedIOException("restoring the training state in " + state.dir() + " failed", e);
        }
    }

    /** Runs the steps up to {@code totalSteps}, without saving training state. */
    public TrainingResult run(int totalSteps, BatchSource batches, TrainingListener listener) {
        return run(totalSteps, batches, listener, null);
    }

    /**
     * Runs the steps up to {@code totalSteps} (from the first, or after the restored one), reporting each to the
     * listener and saving training state as {@code checkpointing} says.
     *
     * @param checkpointing where to save training state, or null not to
     * @throws IllegalArgumentException if a restored run has another total or its batch source stands elsewhere
     * @throws IllegalStateException if the loss stops being finite
     * @throws UncheckedIOException if saving training state fails
     */
    public TrainingResult run(int totalSteps, BatchSource batches, TrainingListener listener,
            Checkpointing checkpointing) {
        LearningRateSchedule schedule = LearningRateSchedule.of(config, totalSteps);
        Duration before = Duration.ZERO;
        if (restored != null) {
            if (restored.totalSteps() != totalSteps) {
                throw new IllegalArgumentException("the restored run takes " + restored.totalSteps()
                        + " steps, not " + totalSteps);
            }
            if (batches.position() != restored.batchPosition()) {
                throw new IllegalArgumentException("the batch source is at " + batches.position()
                        + " but the restored run stopped at " + restored.batchPosition());
            }
            before = restored.elapsed();
        }
        if (System.getenv(REPRODUCIBLE_MKL) == null) {
            LOG.warn("{} is not set, so MKL may pick its kernels by buffer alignment, which differs between processes:"
                    + " the same seed can then give other weights in another process; set {}=AUTO,STRICT (the"
                    + " prefpipe launcher and the build do)", REPRODUCIBLE_MKL, REPRODUCIBLE_MKL);
        }
        long start = System.nanoTime();
        for (int step = history.size() + 1; step <= totalSteps; step++) {
            double learningRate = schedule.rate(step);
            Map<String, Double> metrics = step(step, batches.next(), learningRate);
            double loss = metrics.get("loss");
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + step + "; lower the learning rate "
                        + config.learningRate() + " or set maxGradNorm");
            }
            history.add(Collections.unmodifiableMap(metrics));
            Duration elapsed = before.plusNanos(System.nanoTime() - start);
            listener.onStep(new TrainingProgress(step, totalSteps, elapsed, metrics));
            if (checkpointing != null && (step == totalSteps
                    || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0))) {
                save(checkpointing, step, totalSteps, batches.position(), elapsed);
            }
        }
        Duration duration = before.plusNanos(System.nanoTime() - start);
        TrainingResult result = new TrainingResult(totalSteps,
                history.stream().map(m -> m.get("loss")).toList(), history.get(history.size() - 1), duration);
        LOG.info("trained {} steps in {} ms ({} steps/s), final metrics {}", totalSteps, duration.toMillis(),
                String.format(Locale.ROOT, "%.1f", result.stepsPerSecond()), result.finalMetrics());
        return result;
    }

    private Map<String, Double> step(int step, List<MicroBatch> microBatches, double learningRate) {
        double totalWeight = microBatches.stream().mapToDouble(MicroBatch::weight).sum();
        if (microBatches.isEmpty() || Math.abs(totalWeight - 1) > WEIGHT_TOLERANCE) {
            throw new IllegalArgumentException("the micro-batch weights of step " + step + " must sum to 1, got "
                    + totalWeight + " over " + microBatches.size() + " micro-batches");
        }
        if (model.usesDropout()) {
            // dropout masks come from the engine's generator; seeding it per step makes them a function of the step,
            // so a resumed run draws the masks the uninterrupted one would have
            Engine.getInstance().setRandomSeed(Long.hashCode(config.seed() * 1_000_003L + step));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (MicroBatch microBatch : microBatches) {
            try (NDManager manager = trainer.getManager().newSubManager();
                    GradientCollector collector = trainer.newGradientCollector()) {
                StepOutput output = microBatch.function().forward(manager, trainer);
                collector.backward(microBatch.weight() == 1
                        ? output.loss() : Scalars.mul(output.loss(), microBatch.weight()));
                output.metrics().forEach((name, value) ->
                        metrics.merge(name, microBatch.weight() * value, Double::sum));
            }
        }
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Map<String, NDArray> weights = weights();
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            weights.forEach((name, weight) -> {
                NDArray gradient = weight.getGradient();
                // a gradient handle attaches to the parameter's manager; moving it here frees it with the step
                gradient.attach(manager);
                gradients.put(name, gradient);
            });
            double norm = clip(gradients.values());
            if (!Double.isFinite(norm)) {
                // refusing the update keeps the parameters as they were: a NaN step would corrupt every one of them
                throw new IllegalStateException("the gradient norm is " + norm + " at step " + step + " (loss "
                        + metrics.get("loss") + "); the update was not applied");
            }
            metrics.put("grad_norm", norm);
            optimizer.step(learningRate, weights, gradients);
        }
        metrics.put("learning_rate", learningRate);
        return metrics;
    }

    /**
     * Scales all gradients by maxGradNorm / (‖g‖₂ + 10⁻⁶) when maxGradNorm is set and below ‖g‖₂, the norm over all
     * parameters together (as PyTorch's {@code clip_grad_norm_}); returns ‖g‖₂ before clipping.
     */
    private double clip(Collection<NDArray> gradients) {
        return gradients.isEmpty() ? 0 : GradientKernels.clipGlobalNorm(gradients, config.maxGradNorm());
    }

    /** The trainable parameters' arrays, asked for when needed: a model may initialize some at its first pass. */
    private Map<String, NDArray> weights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        trainable.forEach((name, parameter) -> weights.put(name, parameter.getArray()));
        return weights;
    }

    private void save(Checkpointing checkpointing, int step, int totalSteps, long position, Duration elapsed) {
        TrainingState.Manifest manifest = new TrainingState.Manifest(TrainingState.Manifest.FORMAT_VERSION,
                Instant.now(), step, totalSteps, position, config, elapsed, history, checkpointing.properties());
        try {
            checkpointing.store().write(manifest, checkpointing.model(), optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the training state after step " + step + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            optimizer.close();
        } finally {
            trainer.close();
        }
    }

    /** Names the objective for DJL's trainer when the step functions compute it some other way. */
    private static final class StepObjective extends Loss {
        StepObjective() {
            super("objective");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            throw new UnsupportedOperationException("the objective is computed by the loop's step functions");
        }
    }
}
