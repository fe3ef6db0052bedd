package io.prefpipe.optimizer.online;

import java.util.List;

/**
 * A pairwise preference model P(y ≻ y' | x): the probability that response y is preferred to y' for prompt x. Online
 * optimizers such as Nash-MD query it for pairs of responses they sampled themselves. The usual one is σ(r(x, y) −
 * r(x, y')) from a Bradley-Terry reward model r.
 */
public interface PreferenceModel {

    /**
     * P(first ≻ second | prompt) for each triple, in order; every value in [0, 1].
     *
     * @param prompts the prompts
     * @param first the responses whose preference is measured, one per prompt
     * @param second the responses they are compared with, one per prompt
     * @throws IllegalArgumentException if the three lists differ in size
     */
    double[] preferenceProbabilities(List<String> prompts, List<String> first, List<String> second);
}
