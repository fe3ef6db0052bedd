package io.prefpipe.optimizer.model.gpt2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a policy needs from the {@code config.json} of a Hugging Face GPT-2 checkpoint ({@code model_type} "gpt2"),
 * with the defaults of transformers' {@code GPT2Config} for absent fields.
 *
 * <p>Only configurations whose forward pass the policy reproduces are accepted: the tied output head, scaled
 * dot-product attention without per-layer scaling, no cross-attention, and a GELU activation ({@code gelu}, the exact
 * one, or {@code gelu_new} / {@code gelu_pytorch_tanh}, the tanh approximation). {@code reorder_and_upcast_attn} only
 * changes float16 numerics and is ignored.
 *
 * @param vocabSize {@code vocab_size}
 * @param contextLength {@code n_positions}
 * @param layers {@code n_layer}
 * @param heads {@code n_head}
 * @param width {@code n_embd}
 * @param innerWidth {@code n_inner}, or 4 · {@code n_embd} when null
 * @param layerNormEpsilon {@code layer_norm_epsilon}, default 1e-5
 * @param activation {@code activation_function}, default {@code gelu_new}
 * @param bosTokenId {@code bos_token_id}, default 50256
 * @param eosTokenId {@code eos_token_id}, default 50256
 */
public record Gpt2Config(int vocabSize, int contextLength, int layers, int heads, int width, int innerWidth,
        double layerNormEpsilon, Activation activation, int bosTokenId, int eosTokenId) {

    /** The file name in a model folder. */
    public static final String FILE_NAME = "config.json";
    /** The {@code model_type} of GPT-2. */
    public static final String MODEL_TYPE = "gpt2";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The activation functions of the MLP that the policy implements. */
    public enum Activation {
        /** x · Φ(x), with the Gaussian CDF Φ computed through erf: transformers' {@code gelu}. */
        GELU,
        /** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))): {@code gelu_new}, GPT-2's own. */
        GELU_NEW;

        static Activation fromName(String name) {
            return switch (name) {
                case "gelu" -> GELU;
                case "gelu_new", "gelu_pytorch_tanh" -> GELU_NEW;
                default -> throw new IllegalArgumentException("activation_function " + name
                        + " is not supported; use gelu, gelu_new or gelu_pytorch_tanh");
            };
        }

        /** The name transformers gives this activation. */
        public String huggingFaceName() {
            return this == GELU ? "gelu" : "gelu_new";
        }
    }

    public Gpt2Config {
        requirePositive("vocab_size", vocabSize);
        requirePositive("n_positions", contextLength);
        requirePositive("n_layer", layers);
        requirePositive("n_head", heads);
        requirePositive("n_embd", width);
        requirePositive("n_inner", innerWidth);
        if (width % heads != 0) {
            throw new IllegalArgumentException("n_embd " + width + " must be a multiple of n_head " + heads);
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be positive and finite, got "
                    + layerNormEpsilon);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation_function is missing");
        }
        requireToken("bos_token_id", bosTokenId, vocabSize);
        requireToken("eos_token_id", eosTokenId, vocabSize);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    private static void requireToken(String field, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(field + " " + id + " is outside the vocabulary 0.." + (vocabSize - 1));
        }
    }

    /** Whether {@code dir/config.json} declares a Hugging Face {@code model_type} (of any architecture). */
    public static boolean declaresModelType(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        JsonNode root = parse(file);
        return root.isObject() && root.hasNonNull("model_type");
    }

    /**
     * Reads {@code dir/config.json}.
     *
     * @throws IOException if the file is missing or not JSON
     * @throws IllegalArgumentException naming the field, if the model is not GPT-2 or a setting is unsupported
     */
    public static Gpt2Config read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE_NAME + " in " + dir);
        }
        return fromJson(parse(file));
    }

    private static JsonNode parse(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The configuration in a parsed {@code config.json}.
     *
     * @throws IllegalArgumentException naming the field, if the model is not GPT-2 or a setting is unsupported
     */
    public static Gpt2Config fromJson(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object");
        }
        String modelType = root.path("model_type").asText("");
        if (!modelType.equals(MODEL_TYPE)) {
            throw new IllegalArgumentException("model_type " + (modelType.isEmpty() ? "(missing)" : modelType)
                    + " is not supported; only " + MODEL_TYPE + " checkpoints load");
        }
        requireFlag(root, "add_cross_attention", false, "cross-attention layers are not supported");
        requireFlag(root, "scale_attn_by_inverse_layer_idx", false,
                "attention scaled by the inverse layer index is not supported");
        requireFlag(root, "scale_attn_weights", true, "attention without 1/sqrt(head width) scaling is not supported");
        requireFlag(root, "tie_word_embeddings", true, "an output head separate from the token embedding is not"
                + " supported");
        int width = requiredInt(root, "n_embd");
        JsonNode inner = root.get("n_inner");
        return new Gpt2Config(
                requiredInt(root, "vocab_size"),
                requiredInt(root, "n_positions"),
                requiredInt(root, "n_layer"),
                requiredInt(root, "n_head"),
                width,
                inner == null || inner.isNull() ? 4 * width : intValue(inner, "n_inner"),
                root.hasNonNull("layer_norm_epsilon") ? root.get("layer_norm_epsilon").asDouble() : 1e-5,
                Activation.fromName(root.path("activation_function").asText("gelu_new")),
                root.hasNonNull("bos_token_id") ? intValue(root.get("bos_token_id"), "bos_token_id") : 50256,
                root.hasNonNull("eos_token_id") ? intValue(root.get("eos_token_id"), "eos_token_id") : 50256);
    }

    private static void requireFlag(JsonNode root, String field, boolean supported, String reason) {
        JsonNode value = root.get(field);
        if (value != null && !value.isNull() && value.asBoolean() != supported) {
            throw new IllegalArgumentException(field + " = " + value + ": " + reason);
        }
    }

    private static int requiredInt(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return intValue(value, field);
    }

    private static int intValue(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + value);
        }
        return value.asInt();
    }
}
