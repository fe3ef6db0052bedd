package io.prefpipe.optimizer.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
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
import ai.djl.util.Pair;
import io.prefpipe.optimizer.model.gpt2.Gpt2Config;
import io.prefpipe.optimizer.model.gpt2.Gpt2Weights;
import io.prefpipe.optimizer.model.safetensors.SafeTensorsFile;
import io.prefpipe.optimizer.model.sampling.Sample;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.model.sampling.TokenChooser;
import io.prefpipe.optimizer.model.tokenizer.HfTokenizer;
import io.prefpipe.optimizer.model.tokenizer.Tokenizer;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * A {@link TransformerPolicy} with its parameters in native memory and its tokenizer: creation, loading and saving
 * (native or Hugging Face GPT-2 layout), frozen copies, masked log-probabilities and sampling with a key/value cache.
 *
 * <p>Sequences are framed by the policy's {@link SequenceFormat}: {@code BOS + prompt + response + EOS} in {@link
 * ByteTokenizer} ids for the byte-level policy of {@link #create}; {@code prompt + response}, tokenized separately
 * without special tokens ({@code BOS + response} for an empty prompt), for a Hugging Face GPT-2 checkpoint. Either
 * way a response's log-probability is
 *
 * <pre>
 *   log π(y | x) = Σ_{t ∈ response} log softmax(logits[t − 1])[token_t]
 * </pre>
 *
 * summed over the response tokens (EOS included in the byte-level format); BOS, prompt and padding contribute
 * nothing. Sequences longer than the context are truncated as {@link SequenceFormat} describes, and a pair without
 * response tokens is refused.
 *
 * <p>Owns a DJL {@link Model} on {@link Engine#defaultDevice()} (a GPU when DJL sees one), its {@link NDManager} and
 * the tokenizer: close it (try-with-resources). The gradient-free methods compute in a sub-manager closed before they
 * return, and the training methods in the caller's per-step manager, so repeated calls do not grow native memory. Not
 * thread-safe.
 */
public final class PolicyModel implements TrainableModel, AutoCloseable {

    private static final String MODEL_NAME = "policy";
    /** GPT-2's initialization scale for embeddings and linear weights. */
    private static final double INIT_SIGMA = 0.02;
    /** Rows per forward pass for the gradient-free methods; bounds their memory, not their result. */
    private static final int INFERENCE_BATCH = 32;
    /** The weight of the reference in {@link #sampleMixture(PolicyModel, List, SamplingOptions)}. */
    public static final double DEFAULT_MIXTURE_WEIGHT = 0.5;

    private final PolicyConfig config;
    private final Model model;
    private final TransformerPolicy block;
    private final Tokenizer tokenizer;
    private final SequenceFormat format;
    /** Non-null for a policy loaded from a Hugging Face checkpoint, which it saves back in that layout. */
    private final HuggingFaceCheckpoint.Assets huggingFace;
    private final boolean frozen;

    private PolicyModel(PolicyConfig config, Model model, TransformerPolicy block, Tokenizer tokenizer,
            SequenceFormat format, HuggingFaceCheckpoint.Assets huggingFace, boolean frozen) {
        this.config = config;
        this.model = model;
        this.block = block;
        this.tokenizer = tokenizer;
        this.format = format;
        this.huggingFace = huggingFace;
        this.frozen = frozen;
    }

    /**
     * A new byte-level policy with weights drawn from N(0, 0.02²) by a generator seeded with {@code seed} (LayerNorm
     * scales 1, biases 0): the same config and seed always give the same parameters.
     *
     * @throws IllegalArgumentException if {@code config.vocabSize()} is below {@link ByteTokenizer#VOCAB_SIZE}
     */
    public static PolicyModel create(PolicyConfig config, long seed) {
        if (config.vocabSize() < ByteTokenizer.VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be >= " + ByteTokenizer.VOCAB_SIZE
                    + " for the byte-level tokenizer, got " + config.vocabSize());
        }
        TransformerPolicy block = new TransformerPolicy(config);
        block.setInitializer(new SeededNormalInitializer(seed, INIT_SIGMA), Parameter.Type.WEIGHT);
        Model model = newModel(block);
        try {
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.contextLength()));
            return new PolicyModel(config, model, block, new ByteTokenizer(), SequenceFormat.byteLevel(), null, false);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Loads a policy from {@code dir}, in either layout:
     *
     * <ul>
     *   <li>Hugging Face, when {@code config.json} has a {@code model_type}: a GPT-2 checkpoint with {@code
     *       model.safetensors} (F32, F16 or BF16) and {@code tokenizer.json}, as {@code save_pretrained} writes it;
     *   <li>native otherwise: {@code config.json} and parameters written by {@link #save(Path)} of a byte-level
     *       policy.
     * </ul>
     *
     * @throws IOException if {@code dir} holds neither, or a checkpoint that does not match its configuration; for a
     *     Hugging Face checkpoint the message names the unsupported setting or the missing or misshapen tensor
     */
    public static PolicyModel load(Path dir) throws IOException {
        return HuggingFaceCheckpoint.isHuggingFace(dir) ? loadHuggingFace(dir) : loadNative(dir);
    }

    private static PolicyModel loadNative(Path dir) throws IOException {
        PolicyConfig config = PolicyConfig.read(dir);
        TransformerPolicy block = new TransformerPolicy(config);
        Model model = newModel(block);
        try {
            model.load(dir, MODEL_NAME);
            return new PolicyModel(config, model, block, new ByteTokenizer(), SequenceFormat.byteLevel(), null, false);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("policy parameters in " + dir + " are malformed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static PolicyModel loadHuggingFace(Path dir) throws IOException {
        Gpt2Config gpt2;
        try {
            gpt2 = Gpt2Config.read(dir);
        } catch (IllegalArgumentException e) {
            throw new IOException("unsupported Hugging Face checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        Path weightsFile = dir.resolve(Gpt2Weights.FILE_NAME);
        if (!Files.isRegularFile(weightsFile)) {
            throw new IOException(dir + " has a Hugging Face config.json but no " + Gpt2Weights.FILE_NAME
                    + " (sharded and PyTorch .bin checkpoints are not supported)");
        }
        PolicyConfig config = HuggingFaceCheckpoint.policyConfig(gpt2);
        HuggingFaceCheckpoint.Assets assets = HuggingFaceCheckpoint.readAssets(dir);
        try (SafeTensorsFile weights = SafeTensorsFile.open(weightsFile)) {
            Map<String, String> stored;
            try {
                stored = HuggingFaceCheckpoint.checkTensors(weights, gpt2);
            } catch (IllegalArgumentException e) {
                throw new IOException("the weights in " + weightsFile + " do not match its config.json: "
                        + e.getMessage(), e);
            }
            HfTokenizer tokenizer = HfTokenizer.load(dir.resolve(HfTokenizer.FILE_NAME));
            if (tokenizer.vocabularySize() > config.vocabSize()) {
                tokenizer.close();
                throw new IOException("the tokenizer in " + dir + " has " + tokenizer.vocabularySize()
                        + " ids but config.json's vocab_size is " + config.vocabSize());
            }
            TransformerPolicy block = new TransformerPolicy(config);
            Model model = newModel(block);
            try {
                HuggingFaceCheckpoint.assignInitializers(block, weights, stored);
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.contextLength()));
                return new PolicyModel(config, model, block, tokenizer,
                        SequenceFormat.concatenated(gpt2.bosTokenId(), gpt2.eosTokenId()), assets, false);
            } catch (UncheckedIOException e) {
                model.close();
                tokenizer.close();
                throw e.getCause();
            } catch (RuntimeException e) {
                model.close();
                tokenizer.close();
                throw e;
            }
        }
    }

    /**
     * Saves the policy into {@code dir} (created if missing) in the layout it came in, replacing a policy saved
     * there before: a policy loaded from a Hugging Face checkpoint as one ({@code config.json} as loaded but with
     * dtype float32, {@code model.safetensors} in F32 without a separate {@code lm_head}, {@code tokenizer.json}),
     * which transformers' {@code GPT2LMHeadModel.from_pretrained} opens; a byte-level policy as {@code config.json}
     * and a DJL parameter file. The byte-level policy has no Hugging Face form, for want of a {@code tokenizer.json}.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (huggingFace != null) {
            HuggingFaceCheckpoint.write(dir, block, (HfTokenizer) tokenizer, huggingFace);
            return;
        }
        config.write(dir);
        // a fixed epoch keeps one parameter file per folder; DJL would otherwise add policy-0001.params next to it
        model.setProperty("Epoch", "0");
        model.save(dir, MODEL_NAME);
    }

    /**
     * Writes the parameters in DJL's block format, which {@link TransformerPolicy#loadParameters} of a block with the
     * same config reads back: how another model (a reward model) starts from this policy's backbone.
     */
    public void saveParameters(DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    /**
     * A copy with the same parameters in its own native memory (and its own tokenizer), frozen: it never requires
     * gradients and no trainer accepts it. Use it as the reference policy of preference optimization. Close it
     * separately.
     */
    public PolicyModel frozenCopy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("copying parameters in memory failed", e);
        }
        TransformerPolicy copy = new TransformerPolicy(config);
        Model copyModel = newModel(copy);
        Tokenizer copyTokenizer = tokenizer instanceof HfTokenizer hf ? hf.copy() : tokenizer;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy.loadParameters(copyModel.getNDManager(), in);
            copy.freezeParameters(true);
            return new PolicyModel(config, copyModel, copy, copyTokenizer, format, huggingFace, true);
        } catch (IOException | MalformedModelException e) {
            copyModel.close();
            copyTokenizer.close();
            throw new IllegalStateException("parameters saved by this build failed to load", e);
        } catch (RuntimeException e) {
            copyModel.close();
            copyTokenizer.close();
            throw e;
        }
    }

    private static Model newModel(TransformerPolicy block) {
        Model model = Model.newInstance(MODEL_NAME, Engine.getInstance().defaultDevice());
        model.setBlock(block);
        return model;
    }

    /** The block, for the decoding tests of this package. */
    TransformerPolicy block() {
        return block;
    }

    /** The shape of this policy. */
    public PolicyConfig config() {
        return config;
    }

    /** The device the parameters live on, where every forward pass runs. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public boolean usesDropout() {
        return config.dropout() > 0;
    }

    /** The tokenizer of this policy, closed with it. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** How this policy frames prompt and response into one sequence. */
    public SequenceFormat format() {
        return format;
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

    /** Number of parameters, each array counted once: the output head is tied to the token embedding. */
    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            count += parameter.getValue().getArray().size();
        }
        return count;
    }

    /**
     * Number of native arrays this policy owns, including those of open trainers: parameters, optimizer state and
     * anything a computation failed to release. Constant from one training step to the next unless memory leaks.
     */
    public int managedArrayCount() {
        return ((BaseNDManager) model.getNDManager()).getManagedArrays().size();
    }

    /**
     * Tokenizes and frames pairs with this policy's {@link #format()}, truncating to the context as it describes.
     *
     * @throws IllegalArgumentException naming the pair's index, if a pair has no response token to score (an empty
     *     response of a Hugging Face policy)
     */
    public TokenBatch encode(List<PromptResponse> pairs) {
        return TokenBatch.encode(tokenizer, format, config.contextLength(), config.vocabSize(), pairs);
    }

    /**
     * Frames prompt and response token ids (without special ids, e.g. a {@link Sample}'s) as {@link #encode(List)}
     * frames tokenized text, so a trainer can score exactly the tokens that were sampled.
     *
     * @throws IllegalArgumentException if the lists differ in length, or naming the pair's index, if a pair has no
     *     response token or an id outside the vocabulary
     */
    public TokenBatch encodeIds(List<int[]> prompts, List<int[]> responses) {
        return TokenBatch.encodeIds(format, config.contextLength(), config.vocabSize(), prompts, responses);
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
        return tokenLogProbs(trainer, arrays).sum(new int[] {1});
    }

    /**
     * Differentiable per-token log-probabilities for training, before the sum of {@link #sequenceLogProbs(Trainer,
     * NDList)}: call inside the trainer's {@code GradientCollector}.
     *
     * @param trainer a trainer from {@link #newTrainer}; its forward pass runs in training mode (dropout on)
     * @param arrays {@link TokenBatch#toArrays(NDManager)} of the batch, in the caller's per-step manager; its third
     *     array is the response mask
     * @return (B, T−1) float32: {@code mask[b, t] · log π(targets[b, t] | inputs[b, ..t])}, 0 off the response, in the
     *     manager of {@code arrays}
     */
    public NDArray tokenLogProbs(Trainer trainer, NDList arrays) {
        if (trainer.getModel() != model) {
            throw new IllegalArgumentException("the trainer was created by another policy");
        }
        return tokenLogProbs(arrays, trainer::forward);
    }

    /**
     * Per-token log-probabilities without gradients, e.g. of a reference policy inside another policy's training
     * step: as {@link #tokenLogProbs(Trainer, NDList)}, in inference mode (no dropout), and cut from the autograd
     * graph.
     *
     * @param arrays {@link TokenBatch#toArrays(NDManager)} of the batch, on this policy's device; the result lives in
     *     their manager
     * @return (B, T−1) float32, 0 off the response
     */
    public NDArray tokenLogProbs(NDList arrays) {
        ParameterStore parameters = new ParameterStore(arrays.get(0).getManager(), false);
        return tokenLogProbs(arrays, inputs -> block.forward(parameters, inputs, false)).stopGradient();
    }

    /**
     * mask[b, t] · log softmax(logits[b, t])[targets[b, t]], (B, T), with the logits computed only where the mask is
     * non-zero (see {@link TransformerPolicy}) and 0 elsewhere.
     *
     * @param forward the block's forward pass, in training mode or not
     */
    private static NDArray tokenLogProbs(NDList arrays, UnaryOperator<NDList> forward) {
        NDArray inputs = arrays.get(0);
        NDArray targets = arrays.get(1);
        NDArray mask = arrays.get(2);
        NDArray scored = mask.reshape(-1).nonzero().reshape(-1);
        NDArray logits = forward.apply(new NDList(inputs, scored)).singletonOrThrow();
        NDArray picked = logits.logSoftmax(1).gather(targets.reshape(-1).get(scored).expandDims(1), 1).reshape(-1);
        return inputs.getManager().zeros(new Shape(mask.size())).put(scored, picked).reshape(mask.getShape())
                .mul(mask);
    }

    /** Log-probabilities of the responses without gradients, in input order; see {@link #encode(List)}. */
    public List<SequenceLogProb> logProbs(List<PromptResponse> pairs) {
        List<SequenceLogProb> result = new ArrayList<>(pairs.size());
        if (pairs.isEmpty()) {
            return result;
        }
        TokenBatch all = encode(pairs);
        for (int from = 0; from < pairs.size(); from += INFERENCE_BATCH) {
            TokenBatch batch = all.slice(from, Math.min(pairs.size(), from + INFERENCE_BATCH));
            float[] values;
            try (NDManager manager = model.getNDManager().newSubManager()) {
                values = tokenLogProbs(batch.toArrays(manager)).sum(new int[] {1}).toFloatArray();
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
     * Samples a response to each prompt with {@link SamplingOptions#temperature() temperature} only (no top-k or
     * top-p); see {@link #sample(List, SamplingOptions)}.
     *
     * @param temperature 0 for greedy decoding, else logits are divided by it before the softmax
     * @param seed the only source of randomness: equal arguments give equal samples
     * @return the responses decoded, without EOS, in prompt order
     */
    public List<String> sample(List<String> prompts, int maxNewTokens, double temperature, long seed) {
        SamplingOptions options = SamplingOptions.builder()
                .setMaxNewTokens(maxNewTokens)
                .setTemperature(temperature)
                .setSeed(seed)
                .build();
        return sample(prompts, options).stream().map(Sample::text).toList();
    }

    /**
     * Samples a response to each prompt, all prompts in one batch, with a key/value cache: the prompts run through
     * the model once, then each step runs one token per row (see {@link CachedDecoder}).
     *
     * <p>A response ends at EOS (not part of it), after {@code maxNewTokens} tokens, or when its sequence fills the
     * context. The prompt is cut from the left to leave room for {@code min(maxNewTokens, (contextLength − 1) / 2)}
     * new tokens (at least one). BOS and PAD are never sampled (unless they double as EOS, as in GPT-2), nor ids the
     * tokenizer does not know (a checkpoint may pad its vocabulary). Each row
     * draws from its own generator, split in prompt order from one seeded with {@code options.seed()}, so a row's
     * sample does not depend on when the others stop.
     *
     * @return one sample per prompt, in prompt order
     */
    public List<Sample> sample(List<String> prompts, SamplingOptions options) {
        return generate(prompts, options, null, 0);
    }

    /**
     * {@link #sampleMixture(PolicyModel, double, List, SamplingOptions)} with the reference weighted {@value
     * #DEFAULT_MIXTURE_WEIGHT}.
     */
    public List<Sample> sampleMixture(PolicyModel reference, List<String> prompts, SamplingOptions options) {
        return sampleMixture(reference, DEFAULT_MIXTURE_WEIGHT, prompts, options);
    }

    /**
     * Samples from the per-token geometric mixture of this policy π and a reference policy μ, as Nash-MD does:
     *
     * <pre>
     *   log π_m(y_t | y_&lt;t, x) = log_softmax(m · z_μ + (1 − m) · z_π)[y_t]
     * </pre>
     *
     * with z the logits after the shared prefix, i.e. π_m ∝ μ^m π^(1−m). Both models keep their own key/value cache
     * and advance on the same tokens; temperature, top-k and top-p then apply to the mixed logits as in {@link
     * #sample(List, SamplingOptions)}. With m = 0 the samples equal {@code sample(prompts, options)} of this policy,
     * with m = 1 those of the reference, token for token.
     *
     * @param reference a policy with the same vocabulary, context length and sequence format, e.g. a {@link
     *     #frozenCopy()}; the prompts are tokenized and the samples decoded by this policy's tokenizer
     * @param referenceWeight m, in [0, 1]
     * @throws IllegalArgumentException if the reference does not fit or m is outside [0, 1]
     */
    public List<Sample> sampleMixture(PolicyModel reference, double referenceWeight, List<String> prompts,
            SamplingOptions options) {
        if (!(referenceWeight >= 0 && referenceWeight <= 1)) {
            throw new IllegalArgumentException("referenceWeight must be in [0, 1], got " + referenceWeight);
        }
        if (reference.config.vocabSize() != config.vocabSize()
                || reference.config.contextLength() != config.contextLength() || !reference.format.equals(format)) {
            throw new IllegalArgumentException("the reference (vocabSize " + reference.config.vocabSize()
                    + ", contextLength " + reference.config.contextLength() + ", " + reference.format
                    + ") does not share this policy's vocabulary, context and format (vocabSize " + config.vocabSize()
                    + ", contextLength " + config.contextLength() + ", " + format + ")");
        }
        return generate(prompts, options, reference, referenceWeight);
    }

    private List<Sample> generate(List<String> prompts, SamplingOptions options, PolicyModel reference,
            double referenceWeight) {
        int n = prompts.size();
        if (n == 0) {
            return List.of();
        }
        int context = config.contextLength();
        int vocab = config.vocabSize();
        int reserve = Math.max(1, Math.min(options.maxNewTokens(), (context - 1) / 2));
        int[][] promptTokens = new int[n][];
        int[][] contexts = new int[n][];
        SplittableRandom seeds = new SplittableRandom(options.seed());
        SplittableRandom[] randoms = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            int[] ids = tokenizer.encode(prompts.get(i));
            promptTokens[i] = Arrays.copyOfRange(ids, ids.length - format.keptPromptTokens(ids, context - reserve),
                    ids.length);
            contexts[i] = format.samplingContext(ids, context - reserve);
            randoms[i] = seeds.split();
        }
        // ids past the tokenizer's are embedding rows a checkpoint pads its vocabulary with
        IntPredicate sampleable = id -> id < tokenizer.vocabularySize() && format.sampleable(id);
        int[][] responses = new int[n][options.maxNewTokens()];
        int[] responseLengths = new int[n];
        Sample.StopReason[] stops = new Sample.StopReason[n];
        try (CachedDecoder policy = new CachedDecoder(block, model.getNDManager(), format.pad());
                CachedDecoder ref = reference == null
                        ? null
                        : new CachedDecoder(reference.block, reference.model.getNDManager(), format.pad())) {
            float[] logits = policy.start(contexts);
            float[] refLogits = ref == null ? null : ref.start(contexts);
            while (true) {
                int[] next = new int[n];
                Arrays.fill(next, format.pad());
                boolean running = false;
                for (int i = 0; i < n; i++) {
                    if (stops[i] != null) {
                        continue;
                    }
                    float[] row = logits;
                    int offset = i * vocab;
                    if (ref != null) {
                        row = mix(refLogits, logits, offset, vocab, referenceWeight);
                        offset = 0;
                    }
                    int token = TokenChooser.choose(row, offset, vocab, sampleable, options, randoms[i]);
                    if (token == format.eos()) {
                        stops[i] = Sample.StopReason.EOS;
                        continue;
                    }
                    responses[i][responseLengths[i]++] = token;
                    if (responseLengths[i] == options.maxNewTokens()) {
                        stops[i] = Sample.StopReason.MAX_NEW_TOKENS;
                    } else if (contexts[i].length + responseLengths[i] == context) {
                        stops[i] = Sample.StopReason.CONTEXT_FULL;
                    } else {
                        next[i] = token;
                        running = true;
                    }
                }
                if (!running) {
                    break;
                }
                logits = policy.step(next);
                refLogits = ref == null ? null : ref.step(next);
            }
        }
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] response = Arrays.copyOf(responses[i], responseLengths[i]);
            samples.add(new Sample(promptTokens[i], response, tokenizer.decode(response), stops[i]));
        }
        return samples;
    }

    /** m · reference + (1 − m) · policy over one row; exactly the policy's (or reference's) logits at m = 0 (1). */
    private static float[] mix(float[] reference, float[] policy, int offset, int vocab, double referenceWeight) {
        float[] mixed = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            mixed[v] = (float) (referenceWeight * reference[offset + v]
                    + (1 - referenceWeight) * policy[offset + v]);
        }
        return mixed;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
