package io.prefpipe.reward.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.optimizer.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class RewardTrainingConfigTest {

    @Test
    void defaults() {
        RewardTrainingConfig config = RewardTrainingConfig.defaults();
        assertThat(config.training()).isEqualTo(TrainingConfig.defaults());
        assertThat(config.heldOutFraction()).isEqualTo(0.1);
        assertThat(config.splitSeed()).isEqualTo(42);
        assertThat(config.centering()).isZero();
    }

    @Test
    void build_outOfRange_namesTheField() {
        assertThatThrownBy(() -> RewardTrainingConfig.builder().setHeldOutFraction(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heldOutFraction");
        assertThatThrownBy(() -> RewardTrainingConfig.builder().setCentering(-0.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("centering");
        assertThatThrownBy(() -> RewardTrainingConfig.builder().setTraining(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("training");
    }
}
