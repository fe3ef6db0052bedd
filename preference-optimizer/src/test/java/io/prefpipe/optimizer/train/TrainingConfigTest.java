package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.optimizer.internal.Json;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void defaults_trainHundredStepsOfEightPairs() {
        TrainingConfig config = TrainingConfig.defaults();
        assertThat(config).isEqualTo(new TrainingConfig(1e-3, 8, 100, 0, 0.1, 42, 0, 1, 1, 0,
                LearningRateDecay.CONSTANT, 0, 0.9, 0.999, 1e-8, 0));
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
    void totalSteps_accumulation_countsOptimizerSteps() {
        TrainingConfig config = TrainingConfig.builder().setEpochs(2).setBatchSize(4).setGradientAccumulation(3).build();
        assertThat(config.examplesPerStep()).isEqualTo(12);
        assertThat(config.totalSteps(30)).isEqualTo(5); // ⌈60 / 12⌉
    }

    @Test
    void toBuilder_andJson_roundTripEveryField() {
        TrainingConfig config = TrainingConfig.builder().setEpochs(2).setGradientAccumulation(4).setWarmupSteps(3)
                .setSchedule(LearningRateDecay.COSINE).setMinLearningRateRatio(0.1).setAdamBeta1(0.8)
                .setAdamBeta2(0.95).setAdamEpsilon(1e-6).setCheckpointEvery(25).setWeightDecay(0.01).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(Json.fromString(Json.toString(config), TrainingConfig.class)).isEqualTo(config);
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
        assertThatThrownBy(() -> TrainingConfig.builder().setGradientAccumulation(0).build())
                .hasMessageContaining("gradientAccumulation");
        assertThatThrownBy(() -> TrainingConfig.builder().setSteps(10).setWarmupSteps(10).build())
                .hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> TrainingConfig.builder().setSchedule(null).build()).hasMessageContaining("schedule");
        assertThatThrownBy(() -> TrainingConfig.builder().setMinLearningRateRatio(-0.1).build())
                .hasMessageContaining("minLearningRateRatio");
        assertThatThrownBy(() -> TrainingConfig.builder().setAdamBeta1(1).build()).hasMessageContaining("adamBeta1");
        assertThatThrownBy(() -> TrainingConfig.builder().setAdamBeta2(-1).build()).hasMessageContaining("adamBeta2");
        assertThatThrownBy(() -> TrainingConfig.builder().setAdamEpsilon(0).build()).hasMessageContaining("adamEpsilon");
        assertThatThrownBy(() -> TrainingConfig.builder().setCheckpointEvery(-5).build())
                .hasMessageContaining("checkpointEvery");
    }
}
