package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void defaults_trainHundredStepsOfEightPairs() {
        TrainingConfig config = TrainingConfig.defaults();
        assertThat(config).isEqualTo(new TrainingConfig(1e-3, 8, 100, 0, 0.1, 42, 0, 1));
        assertThat(config.totalSteps(3)).isEqualTo(100);
    }

    @Test
    void totalSteps_epochs_roundUpOverBatches() {
        TrainingConfig config = TrainingConfig.builder().setEpochs(3).setBatchSize(8).build();
        assertThat(config.steps()).isZero();
        assertThat(config.totalSteps(20)).isEqualTo(8); // ⌈60 / 8⌉
        assertThat(config.totalSteps(5)).isEqualTo(3); // batches shrink to the data set: ⌈15 / 5⌉
        assertThatThrownBy(() -> config.totalSteps(0)).hasMessageContaining("no examples");
    }

    @Test
    void build_stepsAndEpochs_isRefused() {
        assertThatThrownBy(() -> TrainingConfig.builder().setSteps(10).setEpochs(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps").hasMessageContaining("epochs");
    }

    @Test
    void build_invalidField_namesTheField() {
        assertThatThrownBy(() -> TrainingConfig.builder().setLearningRate(0).build()).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> TrainingConfig.builder().setBatchSize(0).build()).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> TrainingConfig.builder().setSteps(-1).build()).hasMessageContaining("steps");
        assertThatThrownBy(() -> TrainingConfig.builder().setBeta(-0.1).build()).hasMessageContaining("beta");
        assertThatThrownBy(() -> TrainingConfig.builder().setWeightDecay(Double.NaN).build())
                .hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> TrainingConfig.builder().setMaxGradNorm(-1).build()).hasMessageContaining("maxGradNorm");
    }
}
