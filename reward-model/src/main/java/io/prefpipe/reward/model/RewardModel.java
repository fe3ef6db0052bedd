package io.prefpipe.reward.model;

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
import io.prefpipe.optimizer.checkpoint.Checkpoint;
import io.prefpipe.optimizer.model.ByteTokenizer;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SeededNormalInitializer;
import io.prefpipe.optimizer.model.SequenceFormat;
import io.prefpipe.optimizer.model.TokenBatch;
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
import java.util.Arrays;
import java.util.List;

/**
 * A Bradley-Terry reward model r(x, y): a policy's Transformer backbone with a scalar head read at the last
 * non-padding token of the sequence (see {@link RewardNetwork}), tokenized, framed and truncated exactly as the policy
 * it came from does ({@link PolicyModel#encode}): {@code BOS + prompt + response + EOS} for a byte-level policy,
 * {@code prompt + response} in the policy's own tokens for a Hugging Face GPT-2 checkpoint, whose {@code
 * tokenizer.json} the reward model keeps and saves with itself.
 *
 * <p>Starts either fresh ({@link #create}) or, as is usual, from a trained policy ({@link #fromPolicy}): the backbone
 * copies the policy's parameters and only the head is new. A saved model is a folder with its parameters and
 * {@value RewardModelInfo#FILE_NAME} ({@link RewardModelInfo}: backbone shape, initialization, training runs).
 *
 * <p>Owns a DJL {@link Model}, its {@link NDManager} and its tokenizer: close it (try-with-resources). {@link #score} computes in a
 * sub-manager closed before it returns, and {@link #rewards} in the caller's per-step manager, so repeated calls do not
 * grow native memory. Not thread-safe.
 */
public final class RewardModel implements TrainableModel, AutoCloseable {

    private static final String MODEL_NAME = "reward";
    /** Rows per forward pass of {@link #score}; bounds its memory, not its result. */
    private static final int INFERENCE_BATCH = 32;
    /** Keeps the head's draws independent of the backbone's, which a fresh model seeds with the same seed. */
    private static final long HEAD_SEED_SALT = 0x9E3779B97F4A7C15L;

    private final PolicyConfig config;
    private final Model model;
    private final RewardNetwork network;
    private final Tokenizer tokenizer;
    private final SequenceFormat format;
    private RewardModelInfo info;

    private RewardModel(PolicyConfig config, Model model, RewardNetwork network, Tokenizer tokenizer,
            RewardModelInfo info) {
        this.config = config;
        this.model = model;
        this.network = network;
        this.tokenizer = tokenizer;
        this.format = info.format();
        this.info = info;
    }

    /**
     * A new reward model: the backbone of {@link PolicyModel#create PolicyModel.create(config, seed)} and a head drawn
     * from a generator seeded with {@code seed}. The same config and seed always give the same parameters.
     */
    public static RewardModel create(PolicyConfig config, long seed) {
        try (PolicyModel policy = PolicyModel.create(config, seed)) {
            return fromPolicy(policy, seed, "random, seed " + seed);
        }
    }

    /**
     * A reward model whose backbone is a copy of {@code policy}'s parameters (the usual start: the SFT policy) and
     * whose head is drawn from a generator seeded with {@code headSeed}, tokenizing and framing sequences as the
     * policy does. Later changes to either model do not affect the other.
     */
    public static RewardModel fromPolicy(PolicyModel policy, long headSeed) {
        return fromPolicy(policy, headSeed, "policy, head seed " + headSeed);
    }

    /**
     * A reward model initialized from the policy saved in {@code dir}, as {@link #fromPolicy(PolicyModel, long)}.
     *
     * @param dir a policy folder ({@link PolicyModel#save}) or a checkpoint folder, whose {@value
     *     Checkpoint#MODEL_DIR}/ sub-folder holds the policy
     * @throws IOException if there is no readable policy there
     */
    public static RewardModel fromPolicy(Path dir, long headSeed) throws IOException {
        Path policyDir = Files.isRegularFile(dir.resolve(PolicyConfig.FILE_NAME))
                ? dir
                : dir.resolve(Checkpoint.MODEL_DIR);
        try (PolicyModel policy = PolicyModel.load(policyDir)) {
            return fromPolicy(policy, headSeed, "policy " + policyDir.toAbsolutePath().normalize() + ", head seed "
                    + headSeed);
        }
    }

    private static RewardModel fromPolicy(PolicyModel policy, long headSeed, String initialization) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            policy.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("copying the policy's parameters in memory failed", e);
        }
        PolicyConfig config = policy.config();
        RewardNetwork network = new RewardNetwork(config);
        // w ~ N(0, 1/(C+1)): over LayerNorm-ed features of unit variance, initial rewards have about unit variance
        network.head().setInitializer(
                new SeededNormalInitializer(headSeed ^ HEAD_SEED_SALT, 1 / Math.sqrt(config.width() + 1.0)),
                Parameter.Type.WEIGHT);
        Tokenizer tokenizer = policy.tokenizer() instanceof HfTokenizer hf ? hf.copy() : new ByteTokenizer();
        Model model = Model.newInstance(MODEL_NAME, Engine.getInstance().defaultDevice());
        try {
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                network.backbone().loadParameters(manager, in);
            } catch (IOException | MalformedModelException e) {
                throw new IllegalStateException("parameters saved by this build failed to load", e);
            }
            // the loaded backbone keeps its arrays; this initializes the head and marks every parameter trainable
            network.initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()), new Shape(1));
            return new RewardModel(config, model, network, tokenizer,
                    RewardModelInfo.untrained(config, policy.format(), initialization));
        } catch (RuntimeException e) {
            model.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Loads a reward model saved by {@link #save(Path)}.
     *
     * @throws IOException if {@code dir} holds no reward model, parameters that do not match its description, or, for
     *     a Hugging Face backbone, no readable {@value HfTokenizer#FILE_NAME}
     */
    public static RewardModel load(Path dir) throws IOException {
        RewardModelInfo info = RewardModelInfo.read(dir);
        Tokenizer tokenizer = info.format().equals(SequenceFormat.byteLevel())
                ? new ByteTokenizer()
                : HfTokenizer.load(dir.resolve(HfTokenizer.FILE_NAME));
        RewardNetwork network = new RewardNetwork(info.backbone());
        Model model = Model.newInstance(MODEL_NAME, Engine.getInstance().defaultDevice());
        try {
            model.setBlock(network);
            model.load(dir, MODEL_NAME);
            // Loading restores the parameters and input shapes but not the input names, without which DJL cannot
            // describe the inputs when saving; initializing keeps every loaded array and sets the names.
            network.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, info.backbone().contextLength()),
                    new Shape(1));
            return new RewardModel(info.backbone(), model, network, tokenizer, info);
        } catch (MalformedModelException e) {
            model.close();
            tokenizer.close();
            throw new IOException("reward model parameters in " + dir + " are malformed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Saves the parameters and {@value RewardModelInfo#FILE_NAME} into {@code dir} (created if missing), replacing a
     * reward model saved there before.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        info.write(dir);
        if (tokenizer instanceof HfTokenizer hf) {
            hf.write(dir.resolve(HfTokenizer.FILE_NAME));
        }
        // a fixed epoch keeps one parameter file per folder; DJL would otherwise add reward-0001.params next to it
        model.setProperty("Epoch", "0");
        model.save(dir, MODEL_NAME);
    }

    /** The shape of the backbone. */
    public PolicyConfig config() {
        return config;
    }

    /** What this model is and what it was trained on, as {@link #save} writes it. */
    public RewardModelInfo info() {
        return info;
    }

    /** Adds a finished training run to {@link #info()}; trainers call it after updating the parameters. */
    public void recordTraining(TrainingRecord run) {
        info = info.withTraining(run);
    }

    /** The device the parameters live on, where every forward pass runs. */
    @Override
    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public boolean usesDropout() {
        return config.dropout() > 0;
    }

    @Override
    public Trainer newTrainer(TrainingConfig trainingConfig) {
        return model.newTrainer(trainingConfig);
    }

    /**
     * Number of native arrays this model owns, including those of open trainers: parameters, optimizer state and
     * anything a computation failed to release. Constant from one training step to the next unless memory leaks.
     */
    public int managedArrayCount() {
        return ((BaseNDManager) model.getNDManager()).getManagedArrays().size();
    }

    /** Tokenizes, frames and truncates pairs as the policy the backbone came from does. */
    public TokenBatch encode(List<PromptResponse> pairs) {
        return TokenBatch.encode(tokenizer, format, config.contextLength(), config.vocabSize(), pairs);
    }

    /**
     * Differentiable rewards for training: call inside the trainer's {@code GradientCollector}.
     *
     * @param trainer a trainer from {@link #newTrainer}; its forward pass runs in training mode (dropout on)
     * @param manager the step's manager, which gets the inputs and therefore every intermediate array
     * @return (B,) float32 r(x, y), in input order
     * @throws IllegalArgumentException if the trainer belongs to another model or there are no pairs
     */
    public NDArray rewards(Trainer trainer, NDManager manager, List<PromptResponse> pairs) {
        if (trainer.getModel() != model) {
            throw new IllegalArgumentException("the trainer was created by another model");
        }
        return trainer.forward(inputs(encode(pairs), manager)).singletonOrThrow();
    }

    /** The rewards r(x, y) of the pairs without gradients, in input order; an empty list gives an empty array. */
    public double[] score(List<PromptResponse> pairs) {
        double[] scores = new double[pairs.size()];
        for (int from = 0; from < pairs.size(); from += INFERENCE_BATCH) {
            TokenBatch batch = encode(pairs.subList(from, Math.min(pairs.size(), from + INFERENCE_BATCH)));
            try (NDManager manager = model.getNDManager().newSubManager()) {
                float[] values = network.forward(new ParameterStore(manager, false), inputs(batch, manager), false)
                        .singletonOrThrow().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    scores[from + i] = values[i];
                }
            }
        }
        return scores;
    }

    /** The reward of one response. */
    public double score(String prompt, String response) {
        return score(List.of(new PromptResponse(prompt, response)))[0];
    }

    /** tokens (B, T) right-padded with PAD, T = the longest row, and the index of each row's last token (B,). */
    private NDList inputs(TokenBatch batch, NDManager manager) {
        int time = batch.maxLength();
        long[] tokens = new long[batch.size() * time];
        long[] last = new long[batch.size()];
        Arrays.fill(tokens, format.pad());
        for (int b = 0; b < batch.size(); b++) {
            int[] row = batch.row(b);
            for (int t = 0; t < row.length; t++) {
                tokens[b * time + t] = row[t];
            }
            last[b] = row.length - 1;
        }
        return new NDList(manager.create(tokens, new Shape(batch.size(), time)), manager.create(last));
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
