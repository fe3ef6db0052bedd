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

class LipoLambdaLossTest {

    // The worked list: β = 0.5, log-ratios ρ = (0, 2, −2), so s = (0, 1, −1); labels ψ = (2, 0, 1), gains G = 2^ψ − 1
    // = (3, 0, 1). Sorted by s: y_1 (s = 1) first, y_0 second, y_2 third, so τ = (2, 1, 3) and 1/D(τ) = 1/log2(1 + τ)
    // = (0.6309298, 1, 0.5). Pairs with ψ_i > ψ_j:
    //   (0, 1): Δ = |3 − 0|·|0.6309298 − 1| = 1.1072107, s_0 − s_1 = −1, log(1 + e^1)  = 1.3132617
    //   (0, 2): Δ = |3 − 1|·|0.6309298 − 0.5| = 0.2618595, s_0 − s_2 = 1,  log(1 + e^−1) = 0.3132617
    //   (2, 1): Δ = |1 − 0|·|0.5 − 1| = 0.5,               s_2 − s_1 = −2, log(1 + e^2)  = 2.1269280
    // L = 1.1072107·1.3132617 + 0.2618595·0.3132617 + 0.5·2.1269280 = 2.5995520
    // ∂L/∂s: the winner of a pair gets −Δ·σ(−(s_i − s_j)), the loser +Δ·σ(−(s_i − s_j)), with σ(1) = 0.7310586,
    // σ(−1) = 0.2689414, σ(2) = 0.8807971:
    //   ∂L/∂s_0 = −1.1072107·0.7310586 − 0.2618595·0.2689414 = −0.8798608
    //   ∂L/∂s_1 = +1.1072107·0.7310586 + 0.5·0.8807971        = +1.2498344
    //   ∂L/∂s_2 = +0.2618595·0.2689414 − 0.5·0.8807971        = −0.3699737
    // and ∂L/∂log π_θ = β·∂L/∂s = (−0.4399304, 0.6249172, −0.1849868)
    private static final float[] POLICY = {-3f, -1f, -6f};
    private static final float[] REFERENCE = {-3f, -3f, -4f};
    private static final float[] LABELS = {2f, 0f, 1f};
    private static final double LOSS = 2.5995520;
    private static final float[] GRADIENT = {-0.4399304f, 0.6249172f, -0.1849868f};

    @Test
    void compute_workedList_matchesLossGradientAndMetrics() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray policy = m.create(new float[][] {POLICY});
            Result r = run(new LipoLambdaLoss(0.5), new ListLogProbs(policy, m.create(new float[][] {REFERENCE}),
                    m.create(new float[][] {LABELS}), m.ones(new Shape(1, 3))));
            assertThat(r.output().loss().getFloat()).isCloseTo((float) LOSS, within(1e-5f));
            assertThat(r.gradient()).containsExactly(GRADIENT, within(1e-5f));
            // accuracy: only (0, 2) is ordered right, 1/3; margin (−1 + 1 − 2)/3 = −2/3; kl (0 + 2 − 2)/3 = 0
            assertThat(r.output().metrics().keySet())
                    .containsExactly("loss", "rewards/accuracy", "rewards/margin", "kl");
            assertThat(PairBatches.metricValues(r.output()))
                    .containsExactly(new double[] {LOSS, 1.0 / 3, -2.0 / 3, 0}, within(1e-5));
        }
    }

    @Test
    void compute_paddedEntriesAndPairlessLists_contributeNothing() {
        // list 0 is the worked list with a padded fourth entry holding NaN and a label that would top the list;
        // list 1 has one valid response, so no pair: the batch loss is the worked list's over 2 lists
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray policy = m.create(new float[][] {{POLICY[0], POLICY[1], POLICY[2], Float.NaN}, {-1f, 7f, 7f, 7f}});
            NDArray reference = m.create(new float[][] {{REFERENCE[0], REFERENCE[1], REFERENCE[2], 0f},
                    {-2f, 0f, 0f, 0f}});
            NDArray labels = m.create(new float[][] {{LABELS[0], LABELS[1], LABELS[2], 9f}, {1f, 3f, 0f, 2f}});
            NDArray mask = m.create(new float[][] {{1f, 1f, 1f, 0f}, {1f, 0f, 0f, 0f}});
            Result r = run(new LipoLambdaLoss(0.5), new ListLogProbs(policy, reference, labels, mask));
            assertThat(r.output().loss().getFloat()).isCloseTo((float) (LOSS / 2), within(1e-5f));
            assertThat(r.gradient()).containsExactly(new float[] {GRADIENT[0] / 2, GRADIENT[1] / 2, GRADIENT[2] / 2,
                    0f, 0f, 0f, 0f, 0f}, within(1e-5f));
            // kl over the 4 valid responses: (0 + 2 − 2 + 1)/4
            assertThat(r.output().metrics().get("kl")).isCloseTo(0.25, within(1e-6));
        }
    }

    @Test
    void compute_tiedScores_rankByPosition() {
        // β = 1, s = (0, 0, 1), ψ = (0, 1, 2), G = (0, 1, 3); ties broken by position: τ = (2, 3, 1)
        //   (1, 0): Δ = 1·|0.5 − 0.6309298| = 0.1309298,  s_1 − s_0 = 0: log 2 = 0.6931472
        //   (2, 0): Δ = 3·|1 − 0.6309298| = 1.1072107,     s_2 − s_0 = 1: 0.3132617
        //   (2, 1): Δ = 2·|1 − 0.5| = 1,                    s_2 − s_1 = 1: 0.3132617
        // L = 0.0907536 + 2.1072107·0.3132617 = 0.7508620 (ranking y_1 before y_0 would give 0.7918773)
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out = new LipoLambdaLoss(1).compute(new ListLogProbs(m.create(new float[][] {{0f, 0f, 1f}}),
                    m.zeros(new Shape(1, 3)), m.create(new float[][] {{0f, 1f, 2f}}), m.ones(new Shape(1, 3))));
            assertThat(out.loss().getFloat()).isCloseTo(0.7508620f, within(1e-5f));
        }
    }

    @Test
    void compute_hugeScores_stayFinite() {
        // s = (10^4, −10^4, 0) against ψ = (0, 2, 1): every pair badly wrong, loss ≈ Σ Δ·|s_i − s_j|
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out = new LipoLambdaLoss(1).compute(new ListLogProbs(
                    m.create(new float[][] {{1e4f, -1e4f, 0f}}), m.zeros(new Shape(1, 3)),
                    m.create(new float[][] {{0f, 2f, 1f}}), m.ones(new Shape(1, 3))));
            assertThat(Float.isFinite(out.loss().getFloat())).isTrue();
            assertThat(out.loss().getFloat()).isGreaterThan(1e4f);
        }
    }

    @Test
    void compute_nothingToRank_isRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            ListLogProbs equalLabels = new ListLogProbs(m.zeros(new Shape(1, 2)), m.zeros(new Shape(1, 2)),
                    m.ones(new Shape(1, 2)), m.ones(new Shape(1, 2)));
            assertThatThrownBy(() -> new LipoLambdaLoss(0.1).compute(equalLabels))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
        }
    }

    @Test
    void compute_badInput_isRefusedNamingTheField() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new ListLogProbs(m.zeros(new Shape(2, 3)), m.zeros(new Shape(2, 3)),
                    m.zeros(new Shape(2, 2)), m.ones(new Shape(2, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
            ListLogProbs nanLabel = new ListLogProbs(m.zeros(new Shape(1, 2)), m.zeros(new Shape(1, 2)),
                    m.create(new float[][] {{1f, Float.NaN}}), m.ones(new Shape(1, 2)));
            assertThatThrownBy(() -> new LipoLambdaLoss(0.1).compute(nanLabel))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[0][1]");
            assertThatThrownBy(() -> new LipoLambdaLoss(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("beta");
        }
    }

    private record Result(LossOutput output, float[] gradient) {}

    private static Result run(LipoLambdaLoss loss, ListLogProbs batch) {
        batch.policy().setRequiresGradient(true);
        LossOutput output;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            output = loss.compute(batch);
            collector.backward(output.loss());
        }
        return new Result(output, batch.policy().getGradient().toFloatArray());
    }
}
