package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.optimizer.model.gpt2.Gpt2Weights;
import io.prefpipe.optimizer.model.safetensors.FloatTensor;
import io.prefpipe.optimizer.model.safetensors.SafeTensorsFile;
import io.prefpipe.optimizer.model.safetensors.SafeTensorsWriter;
import io.prefpipe.optimizer.model.sampling.Sample;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.model.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny GPT-2 of src/test/resources/gpt2-tiny (written by src/test/python/make_gpt2_fixture.py) against the
 * log-probabilities transformers computed for it.
 */
class Gpt2CheckpointTest {
    static final Path FIXTURE = Path.of("src/test/resources/gpt2-tiny");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static PolicyModel policy;
    private static List<JsonNode> expected;

    @TempDir Path dir;

    @BeforeAll
    static void load() throws IOException {
        policy = PolicyModel.load(FIXTURE);
        expected = new ArrayList<>();
        for (String line : Files.readAllLines(FIXTURE.resolve("expected-logprobs.jsonl"))) {
            expected.add(MAPPER.readTree(line));
        }
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void load_mapsTheConfig() {
        // config.json: vocab 384, n_positions 64, 2 layers, 2 heads, n_embd 32, n_inner 64, gelu_new, eos = bos = 0
        assertThat(policy.config()).isEqualTo(PolicyConfig.builder().setVocabSize(384).setContextLength(64)
                .setLayers(2).setHeads(2).setWidth(32).setMlpWidth(64).setGelu(GeluVariant.TANH).build());
        assertThat(policy.format()).isEqualTo(SequenceFormat.concatenated(0, 0));
        assertThat(policy.tokenizer()).isInstanceOf(HfTokenizer.class);
        assertThat(policy.device()).isEqualTo(ai.djl.engine.Engine.getInstance().defaultDevice());
    }

    @Test
    void logProbs_matchTransformers() {
        List<PromptResponse> pairs = expected.stream()
                .map(row -> new PromptResponse(row.get("prompt").asText(), row.get("response").asText())).toList();
        List<SequenceLogProb> logProbs = policy.logProbs(pairs);
        TokenBatch batch = policy.encode(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            JsonNode row = expected.get(i);
            double want = row.get("log_prob").asDouble();
            String pair = "pair " + i + " " + pairs.get(i);
            assertThat(batch.row(i)).as(pair).containsExactly(concat(ids(row.get("prompt_ids")),
                    ids(row.get("response_ids"))));
            assertThat(logProbs.get(i).tokens()).as(pair).isEqualTo(row.get("tokens").asInt());
            assertThat(logProbs.get(i).logProb()).as(pair).isCloseTo(want, within(2e-4 + 2e-6 * Math.abs(want)));
        }
    }

    @Test
    void logProbs_emptyResponse_isRefusedNamingThePair() {
        assertThatThrownBy(() -> policy.logProbs(List.of(new PromptResponse("a", "b"), new PromptResponse("a", ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pair 1");
    }

    @Test
    void save_writesTheHuggingFaceLayout_andReloadsIdentically() throws IOException {
        policy.save(dir);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("config.json", "model.safetensors", "tokenizer.json");
        }
        try (SafeTensorsFile weights = SafeTensorsFile.open(dir.resolve(Gpt2Weights.FILE_NAME))) {
            // 2 embeddings + 12 tensors per layer + ln_f, all prefixed as GPT2LMHeadModel names them, head tied
            assertThat(weights.names()).hasSize(2 + 2 * 12 + 2).allMatch(n -> n.startsWith("transformer."));
            assertThat(weights.metadata()).containsEntry("format", "pt");
            assertThat(weights.shape("transformer.h.0.attn.c_attn.weight")).containsExactly(32, 96);
            // load transposes Conv1D weights and save transposes them back: the file's tensors come back bit for bit
            try (SafeTensorsFile original = SafeTensorsFile.open(FIXTURE.resolve(Gpt2Weights.FILE_NAME))) {
                for (String name : original.names()) {
                    assertThat(weights.read(name)).as(name).isEqualTo(original.read(name));
                }
            }
        }
        JsonNode config = MAPPER.readTree(dir.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("gpt2");
        assertThat(config.get("dtype").asText()).isEqualTo("float32");
        assertThat(config.get("transformers_version")).isNotNull();
        try (PolicyModel reloaded = PolicyModel.load(dir)) {
            int[] tokens = {3, 50, 120, 7, 383, 0, 42};
            assertThat(reloaded.logits(tokens)).isDeepEqualTo(policy.logits(tokens));
        }
    }

    @Test
    void load_namesWithoutTheTransformerPrefix_loadTheSameModel() throws IOException {
        copyFixture();
        Map<String, FloatTensor> unprefixed = new LinkedHashMap<>();
        try (SafeTensorsFile weights = SafeTensorsFile.open(FIXTURE.resolve(Gpt2Weights.FILE_NAME))) {
            for (String name : weights.names()) {
                unprefixed.put(Gpt2Weights.canonical(name), weights.read(name));
            }
        }
        SafeTensorsWriter.write(dir.resolve(Gpt2Weights.FILE_NAME), unprefixed, Map.of("format", "pt"));
        try (PolicyModel loaded = PolicyModel.load(dir)) {
            int[] tokens = {5, 6, 7};
            assertThat(loaded.logits(tokens)).isDeepEqualTo(policy.logits(tokens));
        }
    }

    @Test
    void load_missingTensor_isRefusedNamingIt() throws IOException {
        rewriteWeights(tensors -> tensors.remove("transformer.h.1.mlp.c_fc.bias"));
        assertThatThrownBy(() -> PolicyModel.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("h.1.mlp.c_fc.bias").hasMessageContaining("missing");
    }

    @Test
    void load_misshapenTensor_isRefusedNamingIt() throws IOException {
        // the (in, out) = (32, 96) c_attn weight stored as DJL's (96, 32)
        rewriteWeights(tensors -> tensors.put("transformer.h.0.attn.c_attn.weight",
                HuggingFaceCheckpoint.transpose(tensors.get("transformer.h.0.attn.c_attn.weight"))));
        assertThatThrownBy(() -> PolicyModel.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("transformer.h.0.attn.c_attn.weight").hasMessageContaining("[96, 32]")
                .hasMessageContaining("[32, 96]");
    }

    @Test
    void load_unexpectedTensor_isRefusedNamingIt() throws IOException {
        rewriteWeights(tensors -> tensors.put("transformer.h.2.ln_1.bias", new FloatTensor(new long[] {32},
                new float[32])));
        assertThatThrownBy(() -> PolicyModel.load(dir)).hasMessageContaining("unexpected tensor transformer.h.2");
    }

    @Test
    void load_tokenizerLargerThanTheEmbedding_isRefused() throws IOException {
        // vocab_size 383 with a 383-row wte, but the tokenizer has ids up to 383
        rewriteWeights(tensors -> tensors.put("transformer.wte.weight", new FloatTensor(new long[] {383, 32},
                java.util.Arrays.copyOf(tensors.get("transformer.wte.weight").data(), 383 * 32))));
        ObjectNode config = (ObjectNode) MAPPER.readTree(dir.resolve("config.json").toFile());
        MAPPER.writeValue(dir.resolve("config.json").toFile(), config.put("vocab_size", 383));
        assertThatThrownBy(() -> PolicyModel.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("384 ids").hasMessageContaining("vocab_size is 383");
    }

    @Test
    void load_unsupportedConfig_isRefusedNamingTheSetting() throws IOException {
        copyFixture();
        ObjectNode config = (ObjectNode) MAPPER.readTree(dir.resolve("config.json").toFile());
        MAPPER.writeValue(dir.resolve("config.json").toFile(), config.put("activation_function", "relu"));
        assertThatThrownBy(() -> PolicyModel.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("activation_function relu");
        MAPPER.writeValue(dir.resolve("config.json").toFile(), config.put("activation_function", "gelu_new")
                .put("scale_attn_by_inverse_layer_idx", true));
        assertThatThrownBy(() -> PolicyModel.load(dir)).hasMessageContaining("scale_attn_by_inverse_layer_idx");
        Files.delete(dir.resolve(Gpt2Weights.FILE_NAME));
        MAPPER.writeValue(dir.resolve("config.json").toFile(), config.put("scale_attn_by_inverse_layer_idx", false));
        assertThatThrownBy(() -> PolicyModel.load(dir)).hasMessageContaining("no model.safetensors");
    }

    @Test
    void frozenCopy_scoresAlike_andOutlivesTheOriginal() throws IOException {
        List<PromptResponse> pairs = List.of(new PromptResponse("The cat", " sat"));
        PolicyModel original = PolicyModel.load(FIXTURE);
        PolicyModel frozen = original.frozenCopy();
        List<SequenceLogProb> before = original.logProbs(pairs);
        original.close();
        try (frozen) {
            assertThat(frozen.isFrozen()).isTrue();
            assertThat(frozen.logProbs(pairs)).isEqualTo(before);
        }
    }

    @Test
    void sample_greedy_decodesItsTokens_andRescoresLikeTheText() {
        SamplingOptions greedy = SamplingOptions.builder().setTemperature(0).setMaxNewTokens(6).build();
        List<Sample> samples = policy.sample(List.of("The cat sat on", ""), greedy);
        for (Sample sample : samples) {
            assertThat(sample.text()).isEqualTo(policy.tokenizer().decode(sample.responseTokens()));
            assertThat(sample.responseTokens()).doesNotContain(policy.format().eos());
        }
        // an empty prompt conditions on BOS but contributes no prompt tokens
        assertThat(samples.get(1).promptTokens()).isEmpty();
        Sample first = samples.get(0);
        assertThat(first.promptTokens()).containsExactly(policy.tokenizer().encode("The cat sat on"));
        TokenBatch batch = policy.encodeIds(List.of(first.promptTokens()), List.of(first.responseTokens()));
        assertThat(batch.row(0)).containsExactly(concat(first.promptTokens(), first.responseTokens()));
    }

    private void copyFixture() throws IOException {
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(FIXTURE.resolve(name), dir.resolve(name));
        }
    }

    private void rewriteWeights(java.util.function.Consumer<Map<String, FloatTensor>> change) throws IOException {
        copyFixture();
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (SafeTensorsFile weights = SafeTensorsFile.open(FIXTURE.resolve(Gpt2Weights.FILE_NAME))) {
            for (String name : weights.names()) {
                tensors.put(name, weights.read(name));
            }
        }
        change.accept(tensors);
        SafeTensorsWriter.write(dir.resolve(Gpt2Weights.FILE_NAME), tensors, Map.of("format", "pt"));
    }

    private static int[] ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
