package io.prefpipe.optimizer.model.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2ConfigTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    /** The fields of GPT-2 small's config.json. */
    private static ObjectNode gpt2Small() {
        ObjectNode config = MAPPER.createObjectNode();
        config.put("model_type", "gpt2").put("vocab_size", 50257).put("n_positions", 1024).put("n_embd", 768)
                .put("n_layer", 12).put("n_head", 12).put("activation_function", "gelu_new")
                .put("layer_norm_epsilon", 1e-5).put("bos_token_id", 50256).put("eos_token_id", 50256)
                .putNull("n_inner");
        return config;
    }

    @Test
    void fromJson_gpt2Small_readsEveryField() {
        Gpt2Config config = Gpt2Config.fromJson(gpt2Small());
        // n_inner null means 4 · n_embd = 3072
        assertThat(config).isEqualTo(new Gpt2Config(50257, 1024, 12, 12, 768, 3072, 1e-5,
                Gpt2Config.Activation.GELU_NEW, 50256, 50256));
    }

    @Test
    void fromJson_absentOptionalFields_takeTransformersDefaults() {
        ObjectNode config = gpt2Small();
        config.remove("activation_function");
        config.remove("layer_norm_epsilon");
        config.remove("bos_token_id");
        config.remove("eos_token_id");
        config.put("n_inner", 100).put("activation_function", "gelu");
        Gpt2Config read = Gpt2Config.fromJson(config);
        assertThat(read.innerWidth()).isEqualTo(100);
        assertThat(read.activation()).isEqualTo(Gpt2Config.Activation.GELU);
        assertThat(read.layerNormEpsilon()).isEqualTo(1e-5);
        assertThat(read.eosTokenId()).isEqualTo(50256);
        config.put("activation_function", "gelu_pytorch_tanh");
        assertThat(Gpt2Config.fromJson(config).activation()).isEqualTo(Gpt2Config.Activation.GELU_NEW);
    }

    @Test
    void fromJson_unsupportedSettings_areRefusedNamingTheField() {
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("activation_function", "relu")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activation_function relu");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("add_cross_attention", true)))
                .hasMessageContaining("add_cross_attention");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("scale_attn_by_inverse_layer_idx", true)))
                .hasMessageContaining("scale_attn_by_inverse_layer_idx");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("tie_word_embeddings", false)))
                .hasMessageContaining("tie_word_embeddings");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("model_type", "llama")))
                .hasMessageContaining("model_type llama");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("n_head", 5)))
                .hasMessageContaining("n_embd 768").hasMessageContaining("n_head 5");
        ObjectNode noWidth = gpt2Small();
        noWidth.remove("n_embd");
        assertThatThrownBy(() -> Gpt2Config.fromJson(noWidth)).hasMessageContaining("n_embd is missing");
        assertThatThrownBy(() -> Gpt2Config.fromJson(gpt2Small().put("eos_token_id", 60000)))
                .hasMessageContaining("eos_token_id 60000");
    }

    @Test
    void declaresModelType_distinguishesHuggingFaceFromNativeConfigs() throws Exception {
        assertThat(Gpt2Config.declaresModelType(dir)).isFalse();
        Files.writeString(dir.resolve("config.json"), "{\"vocabSize\": 259}");
        assertThat(Gpt2Config.declaresModelType(dir)).isFalse();
        Files.writeString(dir.resolve("config.json"), MAPPER.writeValueAsString(gpt2Small()));
        assertThat(Gpt2Config.declaresModelType(dir)).isTrue();
        assertThat(Gpt2Config.read(dir).width()).isEqualTo(768);
    }

    @Test
    void weights_namesShapesAndPrefixes() {
        Gpt2Config tiny = new Gpt2Config(10, 8, 2, 2, 4, 6, 1e-5, Gpt2Config.Activation.GELU_NEW, 0, 0);
        var shapes = Gpt2Weights.expectedShapes(tiny);
        // 2 embeddings + 12 per layer + final norm
        assertThat(shapes).hasSize(2 + 2 * 12 + 2);
        assertThat(shapes.get("wte.weight")).containsExactly(10, 4);
        assertThat(shapes.get("h.1.attn.c_attn.weight")).containsExactly(4, 12);
        assertThat(shapes.get("h.0.mlp.c_fc.weight")).containsExactly(4, 6);
        assertThat(shapes.get("h.0.mlp.c_proj.weight")).containsExactly(6, 4);
        assertThat(Gpt2Weights.canonical("transformer.h.0.ln_1.bias")).isEqualTo("h.0.ln_1.bias");
        assertThat(Gpt2Weights.canonical("h.0.ln_1.bias")).isEqualTo("h.0.ln_1.bias");
        assertThat(Gpt2Weights.isIgnored("h.3.attn.masked_bias")).isTrue();
        assertThat(Gpt2Weights.isIgnored("lm_head.weight")).isTrue();
        assertThat(Gpt2Weights.isIgnored("h.3.attn.c_attn.bias")).isFalse();
        assertThat(Gpt2Weights.isConv1dWeight("h.1.mlp.c_proj.weight")).isTrue();
        assertThat(Gpt2Weights.isConv1dWeight("h.1.mlp.c_proj.bias")).isFalse();
        assertThat(Gpt2Weights.isConv1dWeight("wte.weight")).isFalse();
    }
}
