package io.prefpipe.optimizer.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import io.prefpipe.optimizer.train.TrainableModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A {@link TransformerPolicy} with its parameters in native memory: creation, persistence, frozen copies, masked
 * per-sequence log-probabilities and sampling.
 *
 * <p>A sequence is {@code BOS + prompt + response + EOS} in {@link ByteTokenizer} ids. Its log-probability is
 *
 * <pre>
 *   log π(y | x) = Σ_{t ∈ response} log softmax(logits[t − 1])[token_t]
 * </pre>
 *
 * summed over the response tokens, EOS included; BOS, prompt and padding contribute nothing. Sequences longer than the
 * context are truncated as described in {@link #encode(List)}.
 *
 * <p>Owns a DJL {@link Model} and its {@link NDManager}: close it (try-with-resources). The gradient-free methods
 * compute in a sub-manager closed before they return, and the training method in the caller's per-step manager, so
 * repeated calls do not grow native memory. Not thread-safe.
 */
public final class PolicyModel implements TrainableModel, AutoCloseable {

    private static final String MODEL_NAME = "policy";
    /** GPT-2's initialization scale for embeddings and linear weights. */
    private static final double INIT_SIGMA = 0.02;
    /** Rows per forward pass for the gradient-free methods; bounds their memory, not their result. */
    private static final int INFERENCE_BATCH = 32;
    /** Number of ids {@link #sample} may emit: the 256 bytes and EOS. */
    private static final int SAMPLEABLE = ByteTokenizer.BOS + 1;

    private final PolicyConfig config;
    private final Model model;
    private final TransformerPolicy block;
    private final ByteTokenizer tokenizer = new ByteTokenizer();
    private final boolean frozen;

    private PolicyModel(PolicyConfig config, Model model, TransformerPolicy block, boolean frozen) {
        this.config = config;
        this.model = model;
        this.block = block;
        this.frozen = frozen;
    }

    /**
     * A new policy with weights drawn from N(0, 0.02²) by a generator seeded with {@code seed} (LayerNorm scales 1,
     * biases 0): the same config and seed always give the same parameters.
     */
    public static PolicyModel create(PolicyConfig config, long seed) {
        TransformerPolicy block = new TransformerPolicy(config);
        block.setInitializer(new SeededNormalInitializer(seed, INIT_SIGMA), Parameter.Type.WEIGHT);
        return wrap(config, block, false, (b, manager) ->
                b.initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength())));
    }

    /**
     * Loads a policy saved by {@link #save(Path)}.
     *
     * @throws IOException if {@code dir} has no policy, or parameters that do not match its {@value
     *     PolicyConfig#FILE_NAME}
     */
    public static PolicyModel load(Path dir) throws IOException {
        PolicyConfig config = PolicyConfig.read(dir);
        TransformerPolicy block = new TransformerPolicy(config);
        Model model = Model.newInstance(MODEL_NAME, Device.cpu());
        try {
            model.setBlock(block);
            model.load(dir, MODEL_NAME);
            return new PolicyModel(config, model, block, false);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("policy parameters in " + dir + " are malformed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Saves the parameters and {@value PolicyConfig#FILE_NAME} into {@code dir} (created if missing), replacing a
     * policy saved there before.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        config.write(dir);
        // a fixed epoch keeps one parameter file per folder; DJL would otherwise add policy-0001.params next to it
        model.setProperty("Epoch", "0");
        model.save(dir, MODEL_NAME);
    }

    /**
     * A copy with the same parameters in its own native memory, frozen: it never requires gradients and no trainer
     * accepts it. Use it as the reference policy of preference optimization. Close it separately.
     */
    public PolicyModel frozenCopy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("copying parameters in memory failed", e);
        }
        TransformerPolicy copy = new TransformerPolicy(config);
        return wrap(config, copy, true, (b, manager) -> {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                b.loadParameters(manager, in);
            } catch (IOException | MalformedModelException e) {
                throw new IllegalStateException("parameters saved by this build failed to load", e);
            }
            b.freezeParameters(true);
        });
    }

    private interface BlockSetup {
        void apply(TransformerPolicy block, NDManager manager);
    }

    private static PolicyModel wrap(PolicyConfig config, TransformerPolicy block, boolean frozen, BlockSetup setup) {
        Model model = Model.newInstance(MODEL_NAME, Device.cpu());
        try {
            model.setBlock(block);
            setup.apply(block, model.getNDManager());
            return new PolicyModel(config, model, block, frozen);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The shape of this policy. */
    public PolicyConfig config() {
        return config;
    }

    @Override
    public boolean usesDropout() {
        return config.dropout() > 0;
    }

    /** The tokenizer of this policy. */
    public ByteTokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether this is a frozen copy (see {@link #frozenCopy()}). */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * A DJL trainer over this policy's parameters; the caller closes it.
     *
     * @throws IllegalStateException if this policy is frozen
     */
    @Override
    public Trainer newTrainer(TrainingConfig trainingConfig) {
        if (frozen) {
            throw new IllegalStateException("a frozen policy cannot be trained; train the policy it was copied from");
        }
        return model.newTrainer(trainingConfig);
    }

    /**
     * Number of native arrays this policy owns, including those of open trainers: parameters, optimizer state and
     * anything a computation failed to release. Constant from one training step to the next unless memory leaks.
     */
    public int managedArrayCount() {
        return ((BaseNDManager) model.getNDManager()).getManagedArrays().size();
    }

    /**
     * Tokenizes pairs as {@code BOS + prompt + response + EOS}. Longer than {@code contextLength}, the prompt is cut
     * from the left first, then the response from the right (EOS first); at least one response token always remains
     * because the context holds at least two tokens.
     */
    public TokenBatch encode(List<PromptResponse> pairs) {
        return TokenBatch.encode(tokenizer, config.contextLength(), pairs);
    }

    /**
     * Differentiable per-sequence log-probabilities for training: call inside the trainer's {@code
     * GradientCollector}.
     *
     * @param trainer a trainer from {@link #newTrainer}; its forward pass runs in training mode (dropout on)
     * @param arrays {@link TokenBatch#toArrays(NDManager)} of the batch, in the caller's per-step manager
     * @return (B,) float32 log π(response | prompt), in the manager of {@code arrays}
     */
    public NDArray sequenceLogProbs(Trainer trainer, NDList arrays) {
        if (trainer.getModel() != model) {
            throw new IllegalArgumentException("the trainer was created by another policy");
        }
        return responseLogProbs(trainer.forward(new NDList(arrays.get(0))).singletonOrThrow(), arrays);
    }

    /** Gradient-free log-probabilities of a batch, in the manager of {@code arrays}. */
    private NDArray sequenceLogProbs(NDList arrays) {
        NDArray inputs = arrays.get(0);
        NDArray logits = block.forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs), false)
                .singletonOrThrow();
        return responseLogProbs(logits, arrays);
    }

    /** Σ_t mask[b, t] · log softmax(logits[b, t])[targets[b, t]]: (B, T, V) logits → (B,). */
    private static NDArray responseLogProbs(NDArray logits, NDList arrays) {
        NDArray targets = arrays.get(1);
        NDArray mask = arrays.get(2);
        NDArray tokenLogProbs = logits.logSoftmax(2).gather(targets.expandDims(2), 2).squeeze(2);
        return tokenLogProbs.mul(mask).sum(new int[] {1});
    }

    /** Log-probabilities of the responses without gradients, in input order; see {@link #encode(List)}. */
    public List<SequenceLogProb> logProbs(List<PromptResponse> pairs) {
        List<SequenceLogProb> result = new ArrayList<>(pairs.size());
        for (int from = 0; from < pairs.size(); from += INFERENCE_BATCH) {
            TokenBatch batch = encode(pairs.subList(from, Math.min(pairs.size(), from + INFERENCE_BATCH)));
            float[] values;
            try (NDManager manager = model.getNDManager().newSubManager()) {
                values = sequenceLogProbs(batch.toArrays(manager)).toFloatArray();
            }
            for (int i = 0; i < values.length; i++) {
                result.add(new SequenceLogProb(values[i], batch.responseTokens(i)));
            }
        }
        return result;
    }

    /**
     * The logits for one unpadded token sequence, for inspection and tests.
     *
     * @param tokens ids, at most {@code contextLength} of them
     * @return (T, V): row t scores the token after position t
     */
    public float[][] logits(int[] tokens) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            long[] ids = Arrays.stream(tokens).asLongStream().toArray();
            NDArray input = manager.create(ids, new Shape(1, ids.length));
            float[] flat = block.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
            int vocab = config.vocabSize();
            float[][] rows = new float[tokens.length][];
            for (int t = 0; t < tokens.length; t++) {
                rows[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
            }
            return rows;
        }
    }

    /**
     * Samples a response to each prompt, all prompts in one batch.
     *
     * <p>A response ends at EOS, after {@code maxNewTokens} tokens, or when its sequence fills the context. The prompt
     * is cut from the left to leave room for {@code min(maxNewTokens, (contextLength − 1) / 2)} new tokens (at least
     * one). Only bytes and EOS are sampled, never BOS or PAD. Each step recomputes the whole prefix (no KV cache), so a
     * step costs a forward pass over the batch.
     *
     * @param temperature 0 for greedy decoding, else logits are divided by it before the softmax
     * @param seed the only source of randomness: equal arguments give equal samples
     * @return the responses decoded as UTF-8, without EOS, in prompt order
     */
    public List<String> sample(List<String> prompts, int maxNewTokens, double temperature, long seed) {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        int context = config.contextLength();
        int reserve = Math.max(1, Math.min(maxNewTokens, (context - 1) / 2));
        int n = prompts.size();
        int[][] rows = new int[n][context];
        int[] lengths = new int[n];
        int[] responseStarts = new int[n];
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            int[] prompt = tokenizer.encode(prompts.get(i));
            int kept = Math.min(prompt.length, context - 1 - reserve);
            rows[i][0] = ByteTokenizer.BOS;
            System.arraycopy(prompt, prompt.length - kept, rows[i], 1, kept);
            lengths[i] = 1 + kept;
            responseStarts[i] = lengths[i];
        }
        Random random = new Random(seed);
        for (int step = 0; step < maxNewTokens; step++) {
            int[] active = IntStream.range(0, n).filter(i -> !done[i]).toArray();
            if (active.length == 0) {
                break;
            }
            float[] next = nextTokenLogits(rows, lengths, active);
            int vocab = config.vocabSize();
            for (int a = 0; a < active.length; a++) {
                int i = active[a];
                int token = choose(next, a * vocab, temperature, random);
                if (token == ByteTokenizer.EOS) {
                    done[i] = true;
                } else {
                    rows[i][lengths[i]++] = token;
                    done[i] = lengths[i] == context;
                }
            }
        }
        List<String> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            responses.add(tokenizer.decode(Arrays.copyOfRange(rows[i], responseStarts[i], lengths[i])));
        }
        return responses;
    }

    /** The logits after the last token of each active row: (A·V) flattened, row-major. */
    private float[] nextTokenLogits(int[][] rows, int[] lengths, int[] active) {
        int time = Arrays.stream(active).map(i -> lengths[i]).max().orElseThrow();
        int vocab = config.vocabSize();
        long[] tokens = new long[active.length * time];
        long[] last = new long[active.length * vocab];
        Arrays.fill(tokens, ByteTokenizer.PAD);
        for (int a = 0; a < active.length; a++) {
            int i = active[a];
            for (int t = 0; t < lengths[i]; t++) {
                tokens[a * time + t] = rows[i][t];
            }
            Arrays.fill(last, a * vocab, (a + 1) * vocab, lengths[i] - 1);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = manager.create(tokens, new Shape(active.length, time));
            NDArray logits = block.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow();
            return logits.gather(manager.create(last, new Shape(active.length, 1, vocab)), 1).toFloatArray();
        }
    }

    /** The id of sampleable slot {@code slot}: slots 0..255 are the bytes, the last slot is EOS. */
    private static int sampleable(int slot) {
        return slot < ByteTokenizer.BOS ? slot : ByteTokenizer.EOS;
    }

    /** Picks a byte or EOS from the row of logits starting at {@code offset}. */
    private static int choose(float[] logits, int offset, double temperature, Random random) {
        int best = 0;
        for (int slot = 1; slot < SAMPLEABLE; slot++) {
            if (logits[offset + sampleable(slot)] > logits[offset + sampleable(best)]) {
                best = slot;
            }
        }
        if (temperature == 0) {
            return sampleable(best);
        }
        double max = logits[offset + sampleable(best)];
        double[] weights = new double[SAMPLEABLE];
        double total = 0;
        for (int slot = 0; slot < SAMPLEABLE; slot++) {
            weights[slot] = Math.exp((logits[offset + sampleable(slot)] - max) / temperature);
            total += weights[slot];
        }
        double u = random.nextDouble() * total;
        for (int slot = 0; slot < SAMPLEABLE - 1; slot++) {
            u -= weights[slot];
            if (u < 0) {
                return sampleable(slot);
            }
        }
        return ByteTokenizer.EOS;
    }

    @Override
    public void close() {
        model.close();
    }
}
