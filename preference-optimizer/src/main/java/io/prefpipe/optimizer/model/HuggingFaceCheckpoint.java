package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.optimizer.model.gpt2.Gpt2Config;
import io.prefpipe.optimizer.model.gpt2.Gpt2Weights;
import io.prefpipe.optimizer.model.safetensors.FloatTensor;
import io.prefpipe.optimizer.model.safetensors.SafeTensorsFile;
import io.prefpipe.optimizer.model.safetensors.SafeTensorsWriter;
import io.prefpipe.optimizer.model.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a Hugging Face GPT-2 checkpoint folder ({@code config.json}, {@code model.safetensors}, {@code
 * tokenizer.json}) onto a {@link TransformerPolicy} and back. The architectures agree term by term: GPT-2's learned
 * positions, pre-LayerNorm blocks, fused QKV projection split Q, K, V in that order into heads of C / H columns, and
 * an output head tied to the token embedding. Only the {@code Conv1D} weights differ, stored transposed.
 */
final class HuggingFaceCheckpoint {

    /** Tokenizer files a save copies besides {@value HfTokenizer#FILE_NAME} when the checkpoint had them. */
    private static final List<String> TOKENIZER_EXTRAS = List.of("tokenizer_config.json", "special_tokens_map.json");

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a save writes back unchanged besides the weights and the tokenizer: the original {@code config.json} (so
     * fields the policy does not use survive) and the optional tokenizer files.
     */
    record Assets(String configJson, Map<String, byte[]> tokenizerExtras) {}

    private HuggingFaceCheckpoint() {}

    /** Whether {@code dir} holds a Hugging Face checkpoint: a {@code config.json} with a {@code model_type}. */
    static boolean isHuggingFace(Path dir) throws IOException {
        return Gpt2Config.declaresModelType(dir);
    }

    /**
     * The policy shape of a GPT-2 configuration. Dropout stays 0: the policy has one rate for embeddings and residual
     * branches and none on attention weights, so GPT-2's {@code *_pdrop} settings have no faithful equivalent.
     */
    static PolicyConfig policyConfig(Gpt2Config gpt2) {
        return PolicyConfig.builder()
                .setVocabSize(gpt2.vocabSize())
                .setContextLength(gpt2.contextLength())
                .setLayers(gpt2.layers())
                .setHeads(gpt2.heads())
                .setWidth(gpt2.width())
                .setMlpWidth(gpt2.innerWidth())
                .setGelu(gpt2.activation() == Gpt2Config.Activation.GELU ? GeluVariant.ERF : GeluVariant.TANH)
                .setLayerNormEpsilon(gpt2.layerNormEpsilon())
                .build();
    }

    /** Reads the assets a later save writes back. */
    static Assets readAssets(Path dir) throws IOException {
        Map<String, byte[]> extras = new LinkedHashMap<>();
        for (String name : TOKENIZER_EXTRAS) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                extras.put(name, Files.readAllBytes(file));
            }
        }
        return new Assets(Files.readString(dir.resolve(Gpt2Config.FILE_NAME)), extras);
    }

    /**
     * Checks that {@code weights} holds exactly the tensors of {@code gpt2}, with or without the {@code transformer.}
     * prefix, beside ignorable buffers.
     *
     * @return the stored name of each canonical name
     * @throws IllegalArgumentException naming the tensor, if one is missing, has the wrong shape or a dtype that does
     *     not convert to float32, is stored twice, or is not part of a GPT-2 language model
     */
    static Map<String, String> checkTensors(SafeTensorsFile weights, Gpt2Config gpt2) {
        Map<String, long[]> expected = Gpt2Weights.expectedShapes(gpt2);
        Map<String, String> stored = new HashMap<>();
        for (String name : weights.names()) {
            String canonical = Gpt2Weights.canonical(name);
            if (Gpt2Weights.isIgnored(canonical)) {
                continue;
            }
            if (!expected.containsKey(canonical)) {
                throw new IllegalArgumentException("unexpected tensor " + name + ": not part of a GPT-2 language model"
                        + " with " + gpt2.layers() + " layers");
            }
            String previous = stored.put(canonical, name);
            if (previous != null) {
                throw new IllegalArgumentException("tensor " + canonical + " is stored twice, as " + previous
                        + " and " + name);
            }
            long[] shape = weights.shape(name);
            if (!Arrays.equals(shape, expected.get(canonical))) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape)
                        + " but config.json implies " + Arrays.toString(expected.get(canonical)));
            }
            String dtype = weights.dtype(name);
            if (!List.of("F32", "F16", "BF16").contains(dtype)) {
                throw new IllegalArgumentException("tensor " + name + " has dtype " + dtype
                        + "; only F32, F16 and BF16 load");
            }
        }
        for (String canonical : expected.keySet()) {
            if (!stored.containsKey(canonical)) {
                throw new IllegalArgumentException("tensor " + canonical + " (or " + Gpt2Weights.PREFIX + canonical
                        + ") is missing");
            }
        }
        return stored;
    }

    /**
     * Makes every parameter of {@code block} initialize from its tensor in {@code weights} (transposing {@code
     * Conv1D} weights), so {@code block.initialize} loads the checkpoint one tensor at a time. A failed read surfaces
     * from {@code initialize} as an {@link UncheckedIOException}.
     *
     * @param stored the stored name of each canonical name, from {@link #checkTensors}
     */
    static void assignInitializers(TransformerPolicy block, SafeTensorsFile weights, Map<String, String> stored) {
        Map<String, Parameter> parameters = block.gpt2Parameters();
        if (parameters.size() != block.getParameters().size() || !parameters.keySet().equals(stored.keySet())) {
            throw new IllegalStateException("the block's " + block.getParameters().size() + " parameters, named "
                    + parameters.keySet() + " in GPT-2 terms, differ from the checkpoint's " + stored.keySet());
        }
        parameters.forEach((canonical, parameter) -> parameter.setInitializer(
                new TensorInitializer(weights, stored.get(canonical), Gpt2Weights.isConv1dWeight(canonical))));
    }

    /** Initializes a parameter with a checkpoint tensor, transposed from (in, out) to (out, in) if asked. */
    private record TensorInitializer(SafeTensorsFile weights, String name, boolean transposed)
            implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            FloatTensor tensor;
            try {
                tensor = weights.read(name);
            } catch (IOException e) {
                throw new UncheckedIOException("reading tensor " + name + " failed", e);
            }
            if (transposed) {
                tensor = transpose(tensor);
            }
            if (!Arrays.equals(tensor.shape(), shape.getShape())) {
                throw new IllegalStateException("parameter for " + name + " has shape " + shape + " but the tensor is "
                        + Arrays.toString(tensor.shape()));
            }
            return manager.create(tensor.data(), shape).toType(dataType, false);
        }
    }

    /** The transpose of a matrix. */
    static FloatTensor transpose(FloatTensor matrix) {
        long[] shape = matrix.shape();
        int rows = Math.toIntExact(shape[0]);
        int columns = Math.toIntExact(shape[1]);
        float[] data = matrix.data();
        float[] transposed = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = data[r * columns + c];
            }
        }
        return new FloatTensor(new long[] {columns, rows}, transposed);
    }

    /**
     * Writes {@code block} as a Hugging Face checkpoint into {@code dir}: {@code model.safetensors} in F32 with
     * {@code GPT2LMHeadModel}'s {@code transformer.} names and no {@code lm_head.weight} (tied), the original {@code
     * config.json} with its dtype set to float32, the tokenizer and the extra tokenizer files.
     */
    static void write(Path dir, TransformerPolicy block, HfTokenizer tokenizer, Assets assets) throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        block.gpt2Parameters().forEach((canonical, parameter) -> {
            NDArray array = parameter.getArray();
            FloatTensor tensor = new FloatTensor(array.getShape().getShape(), array.toFloatArray());
            tensors.put(Gpt2Weights.PREFIX + canonical,
                    Gpt2Weights.isConv1dWeight(canonical) ? transpose(tensor) : tensor);
        });
        SafeTensorsWriter.write(dir.resolve(Gpt2Weights.FILE_NAME), tensors, Map.of("format", "pt"));
        ObjectNode config = (ObjectNode) MAPPER.readTree(assets.configJson());
        // transformers 4 calls it torch_dtype, 5 dtype; the weights are now float32 whatever they were
        for (String field : List.of("torch_dtype", "dtype")) {
            if (config.has(field)) {
                config.put(field, "float32");
            }
        }
        MAPPER.writeValue(dir.resolve(Gpt2Config.FILE_NAME).toFile(), config);
        tokenizer.write(dir.resolve(HfTokenizer.FILE_NAME));
        for (Map.Entry<String, byte[]> extra : assets.tokenizerExtras().entrySet()) {
            Files.write(dir.resolve(extra.getKey()), extra.getValue());
        }
    }
}
