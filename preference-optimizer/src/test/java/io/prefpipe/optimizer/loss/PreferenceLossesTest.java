package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferenceLossesTest {

    @Test
    void builder_eachName_buildsItsLossWithItsParameters() {
        assertThat(PreferenceLosses.builder("dpo").setBeta(0.2).build())
                .isInstanceOf(DpoLoss.class).extracting(PairwisePreferenceLoss::beta).isEqualTo(0.2);
        assertThat(PreferenceLosses.builder("cdpo").setEpsilon(0.1).build())
                .isInstanceOf(ConservativeDpoLoss.class)
                .extracting(PairwisePreferenceLoss::parameters).isEqualTo(Map.of("epsilon", 0.1));
        assertThat(PreferenceLosses.builder("RDPO").setBeta(0.3).setEpsilon(0.2).build())
                .isInstanceOf(RobustDpoLoss.class)
                .extracting(PairwisePreferenceLoss::name, PairwisePreferenceLoss::beta)
                .containsExactly("rdpo", 0.3);
        assertThat(PreferenceLosses.builder("ipo").setLengthNormalized(false).build())
                .isInstanceOf(IpoLoss.class)
                .extracting(PairwisePreferenceLoss::parameters).isEqualTo(Map.of("length_normalized", 0.0));
        assertThat(PreferenceLosses.builder("hinge").build()).isInstanceOf(HingeLoss.class);
        assertThat(PreferenceLosses.builder("rpo").setAlpha(0.5).build())
                .isInstanceOf(RpoLoss.class).extracting(PairwisePreferenceLoss::parameters)
                .isEqualTo(Map.of("alpha", 0.5));
    }

    @Test
    void builder_defaults_areBetaPointOneAlphaOneAndLengthNormalizedIpo() {
        assertThat(PreferenceLosses.builder("dpo").build().beta()).isEqualTo(0.1);
        assertThat(PreferenceLosses.builder("rpo").build().parameters()).isEqualTo(Map.of("alpha", 1.0));
        assertThat(PreferenceLosses.builder("ipo").build().parameters()).isEqualTo(Map.of("length_normalized", 1.0));
    }

    @Test
    void builder_parametersOfABuiltLoss_rebuildTheSameLoss() {
        List<PairwisePreferenceLoss> losses = List.of(new DpoLoss(0.2), new ConservativeDpoLoss(0.3, 0.1),
                new RobustDpoLoss(0.4, 0.25), new IpoLoss(0.5, false), new HingeLoss(0.6), new RpoLoss(0.7, 0.3));
        for (PairwisePreferenceLoss loss : losses) {
            PairwisePreferenceLoss rebuilt = PreferenceLosses.builder(loss.name())
                    .setBeta(loss.beta()).setParameters(loss.parameters()).build();
            assertThat(rebuilt).as(loss.name()).isInstanceOf(loss.getClass());
            assertThat(rebuilt.beta()).as(loss.name()).isEqualTo(loss.beta());
            assertThat(rebuilt.parameters()).as(loss.name()).isEqualTo(loss.parameters());
        }
    }

    @Test
    void builder_unknownName_listsTheKnownOnes() {
        assertThatThrownBy(() -> PreferenceLosses.builder("ppo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown loss 'ppo'; choose one of dpo, cdpo, rdpo, ipo, hinge, rpo");
    }

    @Test
    void build_missingEpsilon_saysWhereToGetIt() {
        assertThatThrownBy(() -> PreferenceLosses.builder("rdpo").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rdpo needs epsilon (the label flip rate, from the snapshot manifest or --epsilon)");
        assertThatThrownBy(() -> PreferenceLosses.builder("cdpo").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cdpo needs epsilon");
    }

    @Test
    void build_parameterOfAnotherLoss_isRefused() {
        assertThatThrownBy(() -> PreferenceLosses.builder("dpo").setEpsilon(0.1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon does not apply to dpo, which takes only beta");
        assertThatThrownBy(() -> PreferenceLosses.builder("rdpo").setEpsilon(0.1).setAlpha(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha does not apply to rdpo, which takes beta and epsilon");
        assertThatThrownBy(() -> PreferenceLosses.builder("ipo").setParameters(Map.of("lenght_normalized", 1.0))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("lenght_normalized");
    }

    @Test
    void build_outOfRangeParameters_areRefusedNamingThem() {
        assertThatThrownBy(() -> PreferenceLosses.builder("rdpo").setEpsilon(0.6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon must be in [0, 0.5)");
        assertThatThrownBy(() -> PreferenceLosses.builder("hinge").setBeta(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
        assertThatThrownBy(() -> PreferenceLosses.builder("rpo").setAlpha(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThatThrownBy(() -> PreferenceLosses.builder("ipo").setParameters(Map.of("length_normalized", 0.5))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length_normalized");
    }
}
