package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_areSmall() {
        PolicyConfig config = PolicyConfig.defaults();
        assertThat(config).isEqualTo(new PolicyConfig(259, 96, 2, 4, 64, 256, 0, GeluVariant.ERF, 1e-5));
        assertThat(new PolicyConfig(259, 96, 2, 4, 64, 256, 0)).isEqualTo(config);
        assertThat(config.headWidth()).isEqualTo(16);
    }

    @Test
    void mlpWidth_unset_followsWidth() {
        assertThat(PolicyConfig.builder().setWidth(32).build().mlpWidth()).isEqualTo(128);
        assertThat(PolicyConfig.builder().setWidth(32).setMlpWidth(40).build().mlpWidth()).isEqualTo(40);
    }

    @Test
    void writeRead_roundTrips() throws Exception {
        PolicyConfig config = PolicyConfig.builder().setLayers(3).setDropout(0.1).build();
        config.write(dir);
        assertThat(PolicyConfig.read(dir)).isEqualTo(config);
    }

    @Test
    void writeRead_gpt2Settings_roundTrip() throws Exception {
        PolicyConfig config = PolicyConfig.builder().setGelu(GeluVariant.TANH).setLayerNormEpsilon(1e-6).build();
        config.write(dir);
        assertThat(PolicyConfig.read(dir)).isEqualTo(config);
    }

    @Test
    void read_configWrittenBeforeGeluAndEpsilonExisted_getsTheDefaults() throws Exception {
        java.nio.file.Files.writeString(dir.resolve(PolicyConfig.FILE_NAME), """
                {"vocabSize": 259, "contextLength": 32, "layers": 1, "heads": 2, "width": 16, "mlpWidth": 64,
                 "dropout": 0.0}""");
        PolicyConfig read = PolicyConfig.read(dir);
        assertThat(read.gelu()).isEqualTo(GeluVariant.ERF);
        assertThat(read.layerNormEpsilon()).isEqualTo(1e-5);
        assertThat(read.contextLength()).isEqualTo(32);
    }

    @Test
    void build_invalidField_namesTheField() {
        assertThatThrownBy(() -> PolicyConfig.builder().setContextLength(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextLength");
        assertThatThrownBy(() -> PolicyConfig.builder().setVocabSize(1).build())
                .hasMessageContaining("vocabSize");
        assertThatThrownBy(() -> PolicyConfig.builder().setLayerNormEpsilon(0).build())
                .hasMessageContaining("layerNormEpsilon");
        assertThatThrownBy(() -> PolicyConfig.builder().setDropout(1).build()).hasMessageContaining("dropout");
        assertThatThrownBy(() -> PolicyConfig.builder().setWidth(30).setHeads(4).build())
                .hasMessageContaining("width 30").hasMessageContaining("heads 4");
    }
}
