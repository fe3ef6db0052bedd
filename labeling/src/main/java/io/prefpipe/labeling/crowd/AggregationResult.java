package io.prefpipe.labeling.crowd;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * What an aggregator fitted: per item a posterior over the K classes (the soft label) and the decided class, the
 * annotator model, and how the fit went. Immutable.
 *
 * <p>An item is decided when one class is strictly most probable (by more than {@code 1e-9}); otherwise it is
 * {@link #UNDECIDED}, never broken arbitrarily.
 *
 * @param <M> the annotator model of the method
 */
public final class AggregationResult<M extends AnnotatorModel> {
    /** {@link #decided(int)} of an item whose most probable classes tie. */
    public static final int UNDECIDED = -1;

    private final IdIndex items;
    private final IdIndex classes;
    private final double[] posteriors;
    private final int[] decided;
    private final double[] inverseDifficulty;
    private final int iterations;
    private final boolean converged;
    private final double logLikelihood;
    private final M model;
    private final FlipRateEstimate flipRate;

    private AggregationResult(Builder<M> b) {
        this.items = b.data.items();
        this.classes = b.data.classes();
        this.posteriors = b.posteriors;
        this.inverseDifficulty = b.inverseDifficulty;
        this.iterations = b.iterations;
        this.converged = b.converged;
        this.logLikelihood = b.logLikelihood;
        this.model = b.model;
        int k = classes.size();
        this.decided = new int[items.size()];
        double decidedError = 0;
        int decidedItems = 0;
        for (int i = 0; i < decided.length; i++) {
            decided[i] = Posteriors.decide(posteriors, i * k, k);
            if (decided[i] != UNDECIDED) {
                decidedError += 1 - posteriors[i * k + decided[i]];
                decidedItems++;
            }
        }
        CrowdDataset data = b.data;
        double judgementError = 0;
        for (int j = 0; j < data.numJudgements(); j++) {
            judgementError += 1 - posteriors[data.item(j) * k + data.label(j)];
        }
        int n = data.numJudgements();
        this.flipRate = new FlipRateEstimate(n == 0 ? Double.NaN : judgementError / n,
                decidedItems == 0 ? Double.NaN : decidedError / decidedItems, n, decidedItems);
    }

    /**
     * A builder for the result of fitting {@code data}; aggregators call it.
     *
     * @param data the data the model was fitted on
     * @param model the fitted annotator model
     */
    public static <M extends AnnotatorModel> Builder<M> builder(CrowdDataset data, M model) {
        return new Builder<>(data, model);
    }

    /**
     * The decision rule every result uses, for posteriors computed elsewhere (e.g. by {@link
     * AnnotatorModel#posterior}): the unique most probable class, or {@link #UNDECIDED} when two classes are within
     * {@code 1e-9} of the maximum.
     */
    public static int decide(double[] posterior) {
        if (posterior.length == 0) {
            throw new IllegalArgumentException("posterior must hold at least one class");
        }
        return Posteriors.decide(posterior, 0, posterior.length);
    }

    /** The short name of the method, e.g. {@code ds}. */
    public String method() {
        return model.method();
    }

    public IdIndex items() {
        return items;
    }

    public IdIndex classes() {
        return classes;
    }

    public int numItems() {
        return items.size();
    }

    public int numClasses() {
        return classes.size();
    }

    /** A copy of item {@code i}'s posterior over the classes. */
    public double[] posterior(int i) {
        int k = classes.size();
        return Arrays.copyOfRange(posteriors, i * k, i * k + k);
    }

    /** The posterior probability that item {@code i} is of class {@code c}. */
    public double probability(int i, int c) {
        if (c < 0 || c >= classes.size()) {
            throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + classes.size() + ")");
        }
        return posteriors[i * classes.size() + c];
    }

    /** The decided class of item {@code i}, or {@link #UNDECIDED}. */
    public int decided(int i) {
        return decided[i];
    }

    /** The largest posterior probability of item {@code i}: the confidence of its label. */
    public double confidence(int i) {
        int k = classes.size();
        double max = 0;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, posteriors[i * k + c]);
        }
        return max;
    }

    /**
     * The classes tied for most probable on item {@code i} (within {@code 1e-9}): one class when decided, two or more
     * when undecided.
     */
    public int[] mostProbable(int i) {
        int k = classes.size();
        double max = confidence(i);
        return IntStream.range(0, k)
                .filter(c -> max - posteriors[i * k + c] <= Posteriors.TIE_TOLERANCE).toArray();
    }

    /**
     * The item's inverse difficulty β_i &gt; 0 where the method estimates one (GLAD): small for items annotators
     * cannot agree on whatever their skill, large for easy ones. Empty otherwise.
     */
    public OptionalDouble inverseDifficulty(int i) {
        Objects.checkIndex(i, items.size());
        return inverseDifficulty == null ? OptionalDouble.empty() : OptionalDouble.of(inverseDifficulty[i]);
    }

    /** EM iterations run; 0 for closed-form methods. */
    public int iterations() {
        return iterations;
    }

    /** Whether the fit met its tolerance before the iteration cap; always true for closed-form methods. */
    public boolean converged() {
        return converged;
    }

    /**
     * The log-likelihood of the observed labels under the final parameters, log p(labels | θ) = Σ_i log Σ_k p(z_i =
     * k) Π_j p(label_j | z_i = k), where the method defines one (DS, GLAD); empty for vote counting.
     */
    public OptionalDouble logLikelihood() {
        return Double.isNaN(logLikelihood) ? OptionalDouble.empty() : OptionalDouble.of(logLikelihood);
    }

    /** The fitted annotator model: per-annotator estimates, and the snapshot that scores new items. */
    public M model() {
        return model;
    }

    /** The estimated flip rates ε̂ of single judgements and of decided labels. */
    public FlipRateEstimate flipRate() {
        return flipRate;
    }

    @Override
    public String toString() {
        return "AggregationResult[" + method() + ", " + numItems() + " items, iterations=" + iterations
                + ", converged=" + converged + ", logLikelihood=" + logLikelihood + ", " + flipRate + "]";
    }

    /** Collects a fit's outputs; {@link #setPosteriors} is required. */
    public static final class Builder<M extends AnnotatorModel> {
        private final CrowdDataset data;
        private final M model;
        private double[] posteriors;
        private double[] inverseDifficulty;
        private int iterations;
        private boolean converged = true;
        private double logLikelihood = Double.NaN;

        private Builder(CrowdDataset data, M model) {
            this.data = Objects.requireNonNull(data, "data");
            this.model = Objects.requireNonNull(model, "model");
            if (!model.classes().equals(data.classes())) {
                throw new IllegalArgumentException("model classes " + model.classes() + " differ from data classes "
                        + data.classes());
            }
        }

        /**
         * The posteriors, K per item in item order; copied.
         *
         * @throws IllegalArgumentException if the length is not items × K or a row is not a distribution
         */
        public Builder<M> setPosteriors(double[] posteriors) {
            int k = data.numClasses();
            if (posteriors.length != data.numItems() * k) {
                throw new IllegalArgumentException("posteriors must hold items × K = " + data.numItems() * k
                        + " values, got " + posteriors.length);
            }
            for (int i = 0; i < data.numItems(); i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    double p = posteriors[i * k + c];
                    if (!(p >= 0 && p <= 1)) {
                        throw new IllegalArgumentException("posteriors of item " + data.items().id(i)
                                + " must be probabilities, got " + p);
                    }
                    sum += p;
                }
                if (Math.abs(sum - 1) > 1e-6) {
                    throw new IllegalArgumentException("posteriors of item " + data.items().id(i)
                            + " must sum to 1, got " + sum);
                }
            }
            this.posteriors = posteriors.clone();
            return this;
        }

        /** The items' inverse difficulties β_i &gt; 0, one per item; copied. */
        public Builder<M> setInverseDifficulty(double[] inverseDifficulty) {
            if (inverseDifficulty.length != data.numItems()) {
                throw new IllegalArgumentException("inverseDifficulty must hold one value per item ("
                        + data.numItems() + "), got " + inverseDifficulty.length);
            }
            for (double b : inverseDifficulty) {
                if (!(b > 0) || Double.isInfinite(b)) {
                    throw new IllegalArgumentException("inverseDifficulty must be finite and > 0, got " + b);
                }
            }
            this.inverseDifficulty = inverseDifficulty.clone();
            return this;
        }

        public Builder<M> setIterations(int iterations) {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
            }
            this.iterations = iterations;
            return this;
        }

        public Builder<M> setConverged(boolean converged) {
            this.converged = converged;
            return this;
        }

        /** The final log-likelihood; must be finite and &lt;= 0. */
        public Builder<M> setLogLikelihood(double logLikelihood) {
            if (!(logLikelihood <= 1e-9) || Double.isInfinite(logLikelihood)) {
                throw new IllegalArgumentException("logLikelihood must be finite and <= 0, got " + logLikelihood);
            }
            this.logLikelihood = logLikelihood;
            return this;
        }

        /**
         * The result.
         *
         * @throws IllegalStateException if the posteriors were not set
         */
        public AggregationResult<M> build() {
            if (posteriors == null) {
                throw new IllegalStateException("posteriors must be set");
            }
            return new AggregationResult<>(this);
        }
    }
}
