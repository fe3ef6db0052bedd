package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class NashMdLossTest {

    // The worked sample: β = 0.5, ℓ = (−1, −2), ℓ^ref = (−1.5, −1), P = 0.8
    // ℓ − ℓ^ref = (0.5, −1); KL term β·Σ sg(ℓ − ℓ^ref)·ℓ = 0.5·(0.5·(−1) + (−1)·(−2)) = 0.75
    // preference term −(P − ½)·Σ ℓ = −0.3·(−3) = 0.9; L = 1.65
    // ∂L/∂ℓ_t = β·(ℓ_t − ℓ^ref_t) − (P − ½) = (0.25 − 0.3, −0.5 − 0.3) = (−0.05, −0.8)
    // kl = 0.5 − 1 = −0.5; entropy = −Σ ℓ = 3

    @Test
    void compute_workedSample_matchesLossGradientAndMetrics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Result r = run(new NashMdLoss(0.5), new SampleLogProbs(m.create(new float[][] {{-1f, -2f}}),
                    m.create(new float[][] {{-1.5f, -1f}}), m.ones(new Shape(1, 2)), m.create(new float[] {0.8f})));
            assertThat(r.gradient()).containsExactly(new float[] {-0.05f, -0.8f}, within(1e-6f));
            assertThat(r.output().metrics().keySet()).containsExactly("loss", "kl", "preference", "entropy");
            assertThat(PairBatches.metricValues(r.output()))
                    .containsExactly(new double[] {1.65, -0.5, 0.8, 3}, within(1e-6));
        }
    }

    @Test
    void compute_paddingIsIgnoredAndTheBatchIsAveraged() {
        // sample 0 is the worked one padded with −∞ and NaN; sample 1 (one token, ℓ = ℓ^ref, P = ½) has loss and
        // gradient 0. L = (1.65 + 0)/2; gradients halve; kl = (−0.5 + 0)/2; preference (0.8 + 0.5)/2
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray policy = m.create(new float[][] {{-1f, -2f, Float.NEGATIVE_INFINITY}, {-0.5f, Float.NaN, 0f}});
            NDArray reference = m.create(new float[][] {{-1.5f, -1f, Float.NaN}, {-0.5f, 0f, Float.NEGATIVE_INFINITY}});
            NDArray mask = m.create(new float[][] {{1f, 1f, 0f}, {1f, 0f, 0f}});
            Result r = run(new NashMdLoss(0.5),
                    new SampleLogProbs(policy, reference, mask, m.create(new float[] {0.8f, 0.5f})));
            assertThat(r.output().loss().getFloat()).isCloseTo(0.825f, within(1e-6f));
            assertThat(r.gradient()).containsExactly(new float[] {-0.025f, -0.4f, 0f, 0f, 0f, 0f}, within(1e-6f));
            assertThat(r.output().metrics().get("kl")).isCloseTo(-0.25, within(1e-6));
            assertThat(r.output().metrics().get("preference")).isCloseTo(0.65, within(1e-6));
        }
    }

    @Test
    void compute_hugeLogProbs_stayFinite() {
        // β = 0.1, ℓ = −10^4, ℓ^ref = 0, P = 1: L = 0.1·10^8 − 0.5·(−10^4) = 1.0005·10^7; ∂L/∂ℓ = −1000 − 0.5
        try (NDManager m = NDManager.newBaseManager()) {
            Result r = run(new NashMdLoss(), new SampleLogProbs(m.create(new float[][] {{-1e4f}}),
                    m.zeros(new Shape(1, 1)), m.ones(new Shape(1, 1)), m.create(new float[] {1f})));
            assertThat(r.output().loss().getFloat()).isCloseTo(1.0005e7f, within(1f));
            assertThat(r.gradient()[0]).isCloseTo(-1000.5f, within(1e-3f));
        }
    }

    @Test
    void compute_badInput_isRefusedNamingTheField() {
        try (NDManager m = NDManager.newBaseManager()) {
            SampleLogProbs outOfRange = new SampleLogProbs(m.zeros(new Shape(2, 1)), m.zeros(new Shape(2, 1)),
                    m.ones(new Shape(2, 1)), m.create(new float[] {0.5f, 1.5f}));
            assertThatThrownBy(() -> new NashMdLoss().compute(outOfRange))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preference[1]");
            assertThatThrownBy(() -> new SampleLogProbs(m.zeros(new Shape(2, 3)), m.zeros(new Shape(2, 3)),
                    m.ones(new Shape(2, 3)), m.zeros(new Shape(3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preference");
            assertThatThrownBy(() -> new SampleLogProbs(m.zeros(new Shape(2, 3)), m.zeros(new Shape(2, 2)),
                    m.ones(new Shape(2, 3)), m.zeros(new Shape(2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("referenceTokens");
            assertThatThrownBy(() -> new NashMdLoss(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("beta");
        }
    }

    private record Result(LossOutput output, float[] gradient) {}

    private static Result run(NashMdLoss loss, SampleLogProbs batch) {
        batch.policyTokens().setRequiresGradient(true);
        LossOutput output;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            output = loss.compute(batch);
            collector.backward(output.loss());
        }
        return new Result(output, batch.policyTokens().getGradient().toFloatArray());
    }
}
