package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What a listwise preference loss sees of a batch of B prompts, each with a list of up to K graded responses. All
 * arrays are (B, K) in one manager; the policy array carries the gradient. Lists shorter than K are padded, and the
 * mask says which entries are responses: padded entries are ignored whatever they hold.
 *
 * @param policy log π_θ(y_i | x), summed over the response tokens
 * @param reference log π_ref(y_i | x), likewise
 * @param labels ψ_i, the graded preference of each response (float; higher is better)
 * @param mask nonzero where the list has a response
 */
public record ListLogProbs(NDArray policy, NDArray reference, NDArray labels, NDArray mask) {

    public ListLogProbs {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(mask, "mask");
        Shape shape = policy.getShape();
        if (shape.dimension() != 2 || shape.size() == 0) {
            throw new IllegalArgumentException("policy must have shape (B, K) with B, K >= 1, got " + shape);
        }
        requireShape("reference", reference, shape);
        requireShape("labels", labels, shape);
        requireShape("mask", mask, shape);
    }

    /** B, the number of lists. */
    public int lists() {
        return Math.toIntExact(policy.getShape().get(0));
    }

    /** K, the padded list length. */
    public int listLength() {
        return Math.toIntExact(policy.getShape().get(1));
    }

    private static void requireShape(String field, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    field + " must have the shape of policy " + expected + ", got " + array.getShape());
        }
    }
}
