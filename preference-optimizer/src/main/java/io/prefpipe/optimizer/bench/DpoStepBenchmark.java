package io.prefpipe.optimizer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.GeluVariant;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.OptimizationLoop;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingProgress;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Times one DPO optimizer step of a policy on fixed shapes: {@code pairs} chosen and {@code pairs} rejected sequences
 * of {@code tokens} tokens each (the first {@code promptTokens} of them prompt), a forward and backward pass of the
 * policy, the DPO loss against precomputed reference log-probabilities, global-norm clipping and AdamW. The same step
 * as {@code torch_dpo_step.py} in the app, so the two can be compared side by side.
 *
 * <p>Matmul FLOPs of one step are counted from the shapes, as is usual for training throughput: the forward pass does
 * 2·m·n·k FLOPs per (m×k)·(k×n) product, and the backward pass twice the forward's. The output head runs on the
 * scored (response) positions alone, as the policy computes it, so only those are counted for it. The attention's two
 * products are counted over the causal triangle only (query t with keys 0..t), which is all the fused attention kernel
 * needs: the dense T×T count would credit the step with work it skips.
 */
public final class DpoStepBenchmark {

    /**
     * What to time.
     *
     * @param name label printed with the figures
     * @param policy the model's shape
     * @param pairs preference pairs per step (2 × pairs sequences)
     * @param tokens tokens per sequence, at most the context length
     * @param promptTokens leading tokens of each sequence that are prompt (not scored)
     * @param warmups untimed steps first
     * @param steps timed steps, odd
     * @param seed seeds the parameters and the token ids
     * @param peakTarget whether the step is held to half the GEMM peak: only shapes whose matmuls are large enough for
     *     any implementation to come near it (at width 64 PyTorch's own step makes about a fifth)
     */
    public record Config(
            String name, PolicyConfig policy, int pairs, int tokens, int promptTokens, int warmups, int steps,
            long seed, boolean peakTarget) {
        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(policy, "policy");
            if (tokens < 2 || tokens > policy.contextLength()) {
                throw new IllegalArgumentException("tokens must be in [2, contextLength " + policy.contextLength()
                        + "], got " + tokens);
            }
            if (promptTokens < 1 || promptTokens >= tokens) {
                throw new IllegalArgumentException("promptTokens must be in [1, tokens), got " + promptTokens);
            }
            if (pairs < 1 || warmups < 0 || steps < 1) {
                throw new IllegalArgumentException("pairs and steps must be >= 1 and warmups >= 0, got pairs " + pairs
                        + ", warmups " + warmups + ", steps " + steps);
            }
            if (steps % 2 == 0) {
                throw new IllegalArgumentException("steps must be odd, so that the median is one step's time, got "
                        + steps);
            }
        }
    }

    /**
     * Durations of the timed steps, each sorted ascending: wall-clock, and CPU time of the thread that ran the step.
     * With one intra-op thread the engine computes on the calling thread, so on a machine that other work shares, CPU
     * time measures the step's own work where wall time also counts the waits for a core.
     */
    public record StepTimes(double[] wallSeconds, double[] cpuSeconds) {
        public StepTimes {
            if (wallSeconds.length == 0 || wallSeconds.length != cpuSeconds.length || wallSeconds.length % 2 == 0) {
                throw new IllegalArgumentException("wall and CPU times must be as many, an odd number, got "
                        + wallSeconds.length + " and " + cpuSeconds.length);
            }
            wallSeconds = wallSeconds.clone();
            cpuSeconds = cpuSeconds.clone();
            Arrays.sort(wallSeconds);
            Arrays.sort(cpuSeconds);
        }

        public double medianWall() {
            return wallSeconds[wallSeconds.length / 2];
        }

        public double minWall() {
            return wallSeconds[0];
        }

        public double maxWall() {
            return wallSeconds[wallSeconds.length - 1];
        }

        public double medianCpu() {
            return cpuSeconds[cpuSeconds.length / 2];
        }
    }

    /**
     * Figures of one run.
     *
     * @param parameters number of trainable parameters, as the model counts them
     * @param matmulFlopsPerStep counted as described on {@link DpoStepBenchmark}
     */
    public record Result(Config config, long parameters, StepTimes times, double matmulFlopsPerStep) {
        public double pairsPerSecond() {
            return config.pairs() / times.medianWall();
        }

        public double tokensPerSecond() {
            return 2.0 * config.pairs() * config.tokens() / times.medianWall();
        }

        public double matmulFlopsPerSecond() {
            return matmulFlopsPerStep / times.medianWall();
        }
    }

    private DpoStepBenchmark() {}

    /** Runs the warm-up and timed steps of {@code config}. */
    public static Result run(Config config) {
        return run(config, () -> {});
    }

    /**
     * Runs the warm-up and timed steps of {@code config}, and {@code betweenSteps} after each step, outside the
     * timing: e.g. another implementation's step, so that the two alternate under the same load.
     */
    public static Result run(Config config, Runnable betweenSteps) {
        int rows = 2 * config.pairs();
        int width = config.tokens() - 1;
        Random random = new Random(config.seed());
        long[] inputs = new long[rows * width];
        long[] targets = new long[rows * width];
        float[] mask = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            long[] sequence = random.longs(config.tokens(), 0, config.policy().vocabSize()).toArray();
            for (int t = 0; t < width; t++) {
                inputs[r * width + t] = sequence[t];
                targets[r * width + t] = sequence[t + 1];
                mask[r * width + t] = t + 1 >= config.promptTokens() ? 1f : 0f;
            }
        }
        float[] reference = new float[rows];
        for (int r = 0; r < rows; r++) {
            reference[r] = (float) (random.nextGaussian() - 50);
        }
        DpoLoss loss = new DpoLoss();
        TrainingConfig training = TrainingConfig.builder()
                .setLearningRate(1e-4)
                .setBatchSize(config.pairs())
                .setSteps(config.warmups() + config.steps())
                .setSeed(config.seed())
                .build();
        double[] wall = new double[config.steps()];
        double[] cpu = new double[config.steps()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PolicyModel policy = PolicyModel.create(config.policy(), config.seed());
                OptimizationLoop loop = new OptimizationLoop(policy, training, loss)) {
            Shape shape = new Shape(rows, width);
            TrainingListener timer = new TrainingListener() {
                private long lastWall = System.nanoTime();
                private long lastCpu = threads.getCurrentThreadCpuTime();

                @Override
                public void onStep(TrainingProgress progress) {
                    long nowWall = System.nanoTime();
                    long nowCpu = threads.getCurrentThreadCpuTime();
                    int timed = progress.step() - config.warmups();
                    if (timed >= 1) {
                        wall[timed - 1] = (nowWall - lastWall) / 1e9;
                        cpu[timed - 1] = (nowCpu - lastCpu) / 1e9;
                    }
                    betweenSteps.run();
                    lastWall = System.nanoTime();
                    lastCpu = threads.getCurrentThreadCpuTime();
                }
            };
            loop.run(config.warmups() + config.steps(), () -> (manager, trainer) -> {
                NDList arrays = new NDList(manager.create(inputs, shape), manager.create(targets, shape),
                        manager.create(mask, shape));
                NDArray logProbs = policy.sequenceLogProbs(trainer, arrays);
                DpoLoss.Output output = loss.compute(logProbs.get("0:" + config.pairs()),
                        logProbs.get(config.pairs() + ":"), manager.create(Arrays.copyOf(reference, config.pairs())),
                        manager.create(Arrays.copyOfRange(reference, config.pairs(), rows)));
                return new OptimizationLoop.StepOutput(output.loss(), output.metrics().asMap());
            }, timer);
            return new Result(config, policy.parameterCount(), new StepTimes(wall, cpu), matmulFlopsPerStep(config));
        }
    }

    /**
     * Matmul FLOPs of a training step: 3 × the forward pass's, which per sequence of T = tokens − 1 inputs, S =
     * tokens − promptTokens of them scored, is T·2·L·(4C² + 2CM) for the projections, L·2·T(T+1)·C for the causal
     * attention scores and mix (T(T+1)/2 query-key pairs, 2·2·C FLOPs each), and S·2CV for the head.
     */
    public static double matmulFlopsPerStep(Config config) {
        PolicyConfig p = config.policy();
        double t = config.tokens() - 1;
        double scored = config.tokens() - config.promptTokens();
        double c = p.width();
        double m = p.mlpWidth();
        double forward = t * 2.0 * p.layers() * (4 * c * c + 2 * c * m) + p.layers() * 2.0 * t * (t + 1) * c
                + scored * 2 * c * p.vocabSize();
        return 3 * forward * 2 * config.pairs();
    }

    /**
     * The two shapes the issue asks for: the default policy, and a ~10M-parameter GPT-2 configuration with GPT-2's
     * tanh GELU, which takes a quarter of {@code steps} (odd, at least 3) as its steps are ~50 times longer, and at most
     * 4 warm-ups: its first steps still grow the process's memory (page faults a step, measured: about 15,000, 240,
     * 90, 80, then under 10; the third and fourth step took 15% and 2% longer than the fifth), which is not the
     * steady state a training run spends its time in.
     */
    public static List<Config> standardConfigs(int warmups, int steps) {
        PolicyConfig small = PolicyConfig.defaults();
        PolicyConfig gpt2 = PolicyConfig.builder()
                .setVocabSize(16_384)
                .setContextLength(128)
                .setLayers(8)
                .setHeads(8)
                .setWidth(256)
                .setGelu(GeluVariant.TANH)
                .build();
        return List.of(
                new Config("default policy (" + small.layers() + " x " + small.width() + ", vocab "
                        + small.vocabSize() + ", exact GELU)", small, 16, small.contextLength(),
                        small.contextLength() / 2, warmups, steps, 42, false),
                new Config("GPT-2 ~10M (8 x 256, vocab 16384, tanh GELU)", gpt2, 16, 128, 64, Math.min(warmups, 4),
                        Math.max(3, (steps / 4) | 1), 42, true));
    }
}
