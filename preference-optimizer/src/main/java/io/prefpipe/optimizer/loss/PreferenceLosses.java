package io.prefpipe.optimizer.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link PairwisePreferenceLoss} from its name and hyperparameters, as the CLI and checkpoint manifests give
 * them:
 *
 * <pre>{@code
 * PairwisePreferenceLoss loss = PreferenceLosses.builder("rdpo").setBeta(0.1).setEpsilon(0.2).build();
 * PairwisePreferenceLoss same = PreferenceLosses.builder(loss.name())
 *         .setBeta(loss.beta()).setParameters(loss.parameters()).build();
 * }</pre>
 *
 * A parameter the named loss does not take is refused rather than ignored, so a misspelt command line cannot silently
 * train a different objective.
 */
public final class PreferenceLosses {

    /** The names {@link #builder} accepts. */
    public static final List<String> NAMES = List.of(DpoLoss.NAME, ConservativeDpoLoss.NAME, RobustDpoLoss.NAME,
            IpoLoss.NAME, HingeLoss.NAME, RpoLoss.NAME);

    /** The parameter key of cDPO's label smoothing and rDPO's flip rate ε. */
    public static final String EPSILON = "epsilon";

    /** The parameter key of RPO's NLL weight α. */
    public static final String ALPHA = "alpha";

    /** The parameter key of IPO's length normalisation: 1 for per-token log-ratios, 0 for summed ones. */
    public static final String LENGTH_NORMALIZED = "length_normalized";

    private PreferenceLosses() {}

    /**
     * A builder for the loss called {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException if no loss has that name
     */
    public static Builder builder(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(normalized)) {
            throw new IllegalArgumentException(
                    "unknown loss '" + name + "'; choose one of " + String.join(", ", NAMES));
        }
        return new Builder(normalized);
    }

    private static Set<String> parametersOf(String name) {
        return switch (name) {
            case ConservativeDpoLoss.NAME, RobustDpoLoss.NAME -> Set.of(EPSILON);
            case IpoLoss.NAME -> Set.of(LENGTH_NORMALIZED);
            case RpoLoss.NAME -> Set.of(ALPHA);
            default -> Set.of();
        };
    }

    /**
     * The hyperparameters of one loss. β defaults to {@value DpoLoss#DEFAULT_BETA}, RPO's α to {@value
     * RpoLoss#DEFAULT_ALPHA}, IPO to length-normalised; cDPO and rDPO have no default ε, since the right one depends on
     * the data's label noise.
     */
    public static final class Builder {
        private final String name;
        private double beta = DpoLoss.DEFAULT_BETA;
        private final Map<String, Double> parameters = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder setBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** cDPO's label smoothing or rDPO's label flip rate ε. */
        public Builder setEpsilon(double epsilon) {
            parameters.put(EPSILON, epsilon);
            return this;
        }

        /** RPO's NLL weight α. */
        public Builder setAlpha(double alpha) {
            parameters.put(ALPHA, alpha);
            return this;
        }

        /** Whether IPO compares per-token rather than summed log-ratios. */
        public Builder setLengthNormalized(boolean lengthNormalized) {
            parameters.put(LENGTH_NORMALIZED, lengthNormalized ? 1.0 : 0.0);
            return this;
        }

        /** Sets the parameters under their keys, as {@link PairwisePreferenceLoss#parameters()} returns them. */
        public Builder setParameters(Map<String, Double> parameters) {
            this.parameters.putAll(parameters);
            return this;
        }

        /**
         * Builds the loss.
         *
         * @throws IllegalArgumentException naming the parameter, if one is missing, out of range, or not one this
         *     loss takes
         */
        public PairwisePreferenceLoss build() {
            Set<String> accepted = parametersOf(name);
            for (String key : parameters.keySet()) {
                if (!accepted.contains(key)) {
                    throw new IllegalArgumentException(key + " does not apply to " + name + ", which takes "
                            + (accepted.isEmpty() ? "only beta" : "beta and " + String.join(", ", accepted)));
                }
            }
            return switch (name) {
                case DpoLoss.NAME -> new DpoLoss(beta);
                case ConservativeDpoLoss.NAME -> new ConservativeDpoLoss(beta,
                        required(EPSILON, "the label smoothing, the assumed label flip rate, from the snapshot "
                                + "manifest or --epsilon"));
                case RobustDpoLoss.NAME -> new RobustDpoLoss(beta,
                        required(EPSILON, "the label flip rate, from the snapshot manifest or --epsilon"));
                case IpoLoss.NAME -> new IpoLoss(beta, lengthNormalized());
                case HingeLoss.NAME -> new HingeLoss(beta);
                case RpoLoss.NAME -> new RpoLoss(beta, parameters.getOrDefault(ALPHA, RpoLoss.DEFAULT_ALPHA));
                default -> throw new IllegalStateException("no constructor for loss " + name);
            };
        }

        private double required(String key, String meaning) {
            Double value = parameters.get(key);
            if (value == null) {
                throw new IllegalArgumentException(name + " needs " + key + " (" + meaning + ")");
            }
            return value;
        }

        private boolean lengthNormalized() {
            Double flag = parameters.getOrDefault(LENGTH_NORMALIZED, 1.0);
            if (flag != 0.0 && flag != 1.0) {
                throw new IllegalArgumentException(
                        LENGTH_NORMALIZED + " must be 1 (per-token) or 0 (summed), got " + flag);
            }
            return flag == 1.0;
        }
    }
}
