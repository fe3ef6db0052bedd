package io.prefpipe.optimizer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @Test
    void mul_gradientSurvivesACollectionBetweenForwardAndBackward() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray product = Scalars.mul(x, 3);
                collectAndReuseFreedDirectMemory();
                collector.backward(product.sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(3, 3, 3, 3);
        }
    }

    /** What made {@code x.mul(3)}'s gradient come out as garbage: its scalar's buffer freed and written over. */
    private static void collectAndReuseFreedDirectMemory() throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            reuse.add(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putDouble(0, 1e6));
        }
        assertThat(reuse).hasSize(200);
    }
}
