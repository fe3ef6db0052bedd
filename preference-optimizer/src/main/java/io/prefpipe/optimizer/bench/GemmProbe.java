package io.prefpipe.optimizer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The engine's fp32 GEMM rate on this machine: products of two n×n matrices made once, so that a probe taken between
 * training steps times the product and nothing else. The first product, when the probe is made, is untimed: it pays
 * for the engine's first use of the kernel and for the output's first allocation. Close it to free the matrices.
 */
public final class GemmProbe implements AutoCloseable {
    private final int n;
    private final NDManager manager;
    private final NDArray a;
    private final NDArray b;

    /** Makes the two n×n matrices and takes one untimed product. */
    public GemmProbe(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        this.n = n;
        manager = NDManager.newBaseManager();
        try {
            a = manager.randomNormal(new Shape(n, n));
            b = manager.randomNormal(new Shape(n, n));
            a.matMul(b).close();
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** n of the n×n matrices. */
    public int size() {
        return n;
    }

    /** FLOPs of one product: 2·n³. */
    public double flopsPerProduct() {
        return 2.0 * n * n * n;
    }

    /** The best FLOP/s of {@code runs} products. */
    public double flopsPerSecond(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            // reading one element forces completion on engines that compute lazily
            try (NDArray product = a.matMul(b)) {
                product.getFloat(0, 0);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return flopsPerProduct() / (Math.max(best, 1) / 1e9);
    }

    @Override
    public void close() {
        manager.close();
    }
}
