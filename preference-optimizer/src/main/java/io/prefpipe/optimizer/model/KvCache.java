package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The attention keys and values of every position a {@link TransformerPolicy} has processed, per layer, so that
 * decoding one more token costs one position's projections plus attention over the cache instead of a forward pass
 * over the whole prefix.
 *
 * <p>Arrays are (B, H, T, D) and live in a manager of their own: each {@link #append} replaces a layer's arrays and
 * closes the old ones, so the cache holds 2 · layers arrays however long decoding runs. Close it to release them.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    KvCache(NDManager parent, int layers) {
        manager = parent.newSubManager();
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Number of positions cached; 0 before the first forward pass. */
    long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /**
     * Appends the keys and values of the new positions of layer {@code layer}, (B, H, T_new, D) each.
     *
     * @return all keys and values of the layer, (B, H, T_cached + T_new, D)
     */
    NDList append(int layer, NDArray newKeys, NDArray newValues) {
        keys[layer] = extend(keys[layer], newKeys);
        values[layer] = extend(values[layer], newValues);
        return new NDList(keys[layer], values[layer]);
    }

    private NDArray extend(NDArray cached, NDArray fresh) {
        NDArray all = cached == null ? fresh : cached.concat(fresh, 2);
        // the fresh arrays belong to the caller's per-step manager, which closes before the next step
        all.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
