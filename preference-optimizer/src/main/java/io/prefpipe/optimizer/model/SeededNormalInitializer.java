package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Draws weights from N(0, σ²) with a {@link Random} seeded once per model, on the Java side: initialization then
 * depends only on the seed and the (fixed) order in which DJL initializes parameters, never on the engine's global
 * random state, so two models created with the same seed are identical even when other code uses the engine.
 */
public final class SeededNormalInitializer implements Initializer {

    private final Random random;
    private final double sigma;

    public SeededNormalInitializer(long seed, double sigma) {
        this.random = new Random(seed);
        this.sigma = sigma;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * sigma);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
