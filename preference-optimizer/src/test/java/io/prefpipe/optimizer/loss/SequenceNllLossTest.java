package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class SequenceNllLossTest {
    @Test
    void evaluate_isMeanOverTokensNotSequences() {
        // (4 + 6) nats over (2 + 3) tokens = 2 nats per token, where the mean over sequences would be 5
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = new SequenceNllLoss().evaluate(new NDList(m.create(new float[] {2f, 3f})),
                    new NDList(m.create(new float[] {-4f, -6f})));
            assertThat(loss.getFloat()).isCloseTo(2f, within(1e-6f));
        }
    }
}
