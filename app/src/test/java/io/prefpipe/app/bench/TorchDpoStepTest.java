package io.prefpipe.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prefpipe.optimizer.bench.DpoStepBenchmark;
import io.prefpipe.optimizer.model.GeluVariant;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side PyTorch step of {@code bench train}, where this machine's python3 has torch (CI's does; elsewhere
 * these tests are reported as skipped, and the command says the same).
 */
class TorchDpoStepTest {

    @Test
    void aMissingPythonIsNoBaselineNotAnError() {
        assertThat(TorchDpoStep.find(Path.of("/nonexistent/python3"))).isEmpty();
    }

    @Test
    void buildsTheSameModelAsDjlAndTimesItsSteps() throws Exception {
        Optional<TorchDpoStep> torch = TorchDpoStep.find(Path.of("python3"));
        assumeTrue(torch.isPresent(), "python3 cannot import torch (pip install torch)");
        for (GeluVariant gelu : GeluVariant.values()) {
            PolicyConfig policy = PolicyConfig.builder().setVocabSize(300).setContextLength(16).setLayers(2)
                    .setHeads(2).setWidth(16).setGelu(gelu).build();
            DpoStepBenchmark.Config config = new DpoStepBenchmark.Config("small", policy, 2, 12, 4, 0, 1, 3, true);
            try (TorchDpoStep.Session session = torch.get().start(config, 1);
                    PolicyModel djl = PolicyModel.create(policy, 3)) {
                assertThat(session.parameters()).as("the same parameters, so the same model, with %s GELU", gelu)
                        .isEqualTo(djl.parameterCount());
                assertThat(session.threads()).isEqualTo(1);
                for (int i = 0; i < 2; i++) {
                    double[] step = session.step();
                    assertThat(step).hasSize(2);
                    assertThat(step[0]).isPositive();
                    assertThat(step[1]).isNotNegative();
                }
                assertThat(session.gemmFlopsPerSecond(32, 1)).isPositive();
                assertThat(session.gemmFlopsPerSecond(32, 3)).as("again, on the matrices made the first time")
                        .isPositive();
                assertThat(session.gemmFlopsPerSecond(16, 1)).as("another size, other matrices").isPositive();
            }
        }
    }
}
