package io.prefpipe.optimizer.loss;

/** The range checks the losses share, so every loss refuses the same bad values with the same message. */
final class Hyperparameters {

    private Hyperparameters() {}

    /** β scales the log-ratios; 0 would make every loss constant and ∞ or NaN would poison the gradient. */
    static double requireBeta(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
        }
        return beta;
    }

    /** A label-noise rate ε: at 0.5 the labels carry no information and the robust loss divides by 1 − 2ε = 0. */
    static double requireEpsilon(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("epsilon must be in [0, 0.5), got " + epsilon);
        }
        return epsilon;
    }

    /** A weight on an added loss term. */
    static double requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }
}
