package io.prefpipe.labeling.crowd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded synthetic crowds with known truth: every item gets {@code perItem} distinct annotators drawn uniformly, who
 * answer according to their kind. Shared by the tests and the scale benchmark.
 */
public final class SyntheticCrowd {
    private SyntheticCrowd() {}

    /** How a simulated annotator answers. */
    public enum Kind {
        /** The truth with probability {@code accuracy}, else one of the other classes uniformly. */
        ACCURATE,
        /** Any class uniformly, whatever the truth. */
        SPAMMER,
        /** Like {@link #ACCURATE} with a low {@code accuracy}: mostly wrong. */
        ADVERSARIAL,
        /**
         * Two classes only: with probability {@code positionBias} the class shown first, otherwise like
         * {@link #ACCURATE}.
         */
        POSITION_BIASED
    }

    /** A simulated annotator. */
    public record Annotator(String id, Kind kind, double accuracy, double positionBias) {
        public Annotator {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** {@code count} annotators of one kind, ids {@code prefix0, prefix1, ..}. */
    public static List<Annotator> annotators(String prefix, int count, Kind kind, double accuracy,
            double positionBias) {
        List<Annotator> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            out.add(new Annotator(prefix + n, kind, accuracy, positionBias));
        }
        return out;
    }

    /**
     * A generated crowd.
     *
     * @param data the judgements; item {@code i} has id {@code "i"}
     * @param truth the true class of each item
     * @param ambiguous items on which every annotator answered uniformly at random
     * @param flipped judgements whose label is not the truth
     */
    public record Crowd(CrowdDataset data, int[] truth, boolean[] ambiguous, int flipped) {
        /** The realised share of judgements that are not the truth. */
        public double flipRate() {
            return (double) flipped / data.numJudgements();
        }

        /** The share of items whose decided label in {@code result} is the truth (undecided counts as wrong). */
        public double accuracy(AggregationResult<?> result) {
            int correct = 0;
            for (int i = 0; i < truth.length; i++) {
                if (result.decided(i) == truth[i]) {
                    correct++;
                }
            }
            return (double) correct / truth.length;
        }
    }

    /**
     * Generates a crowd.
     *
     * @param prior the class distribution of the truth
     * @param ambiguousShare share of items nobody can judge (answers uniform)
     * @param recordPositions whether judgements record a shown-first class, drawn uniformly (needs 2 classes)
     */
    public static Crowd generate(long seed, int numItems, int perItem, double[] prior, List<Annotator> annotators,
            double ambiguousShare, boolean recordPositions) {
        int k = prior.length;
        if (!recordPositions && annotators.stream().anyMatch(a -> a.kind() == Kind.POSITION_BIASED)) {
            throw new IllegalArgumentException("position-biased annotators need recordPositions");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int n = numItems * perItem;
        int[] item = new int[n];
        int[] annotator = new int[n];
        int[] label = new int[n];
        int[] shown = recordPositions ? new int[n] : null;
        int[] truth = new int[numItems];
        boolean[] ambiguous = new boolean[numItems];
        int[] chosen = new int[perItem];
        int flipped = 0;
        int j = 0;
        for (int i = 0; i < numItems; i++) {
            truth[i] = draw(prior, random);
            ambiguous[i] = random.nextDouble() < ambiguousShare;
            for (int r = 0; r < perItem; r++) {
                int a;
                do {
                    a = random.nextInt(annotators.size());
                } while (contains(chosen, r, a));
                chosen[r] = a;
                int f = recordPositions ? random.nextInt(2) : CrowdDataset.UNKNOWN_POSITION;
                int l = ambiguous[i] ? random.nextInt(k) : answer(annotators.get(a), truth[i], f, k, random);
                item[j] = i;
                annotator[j] = a;
                label[j] = l;
                if (shown != null) {
                    shown[j] = f;
                }
                if (l != truth[i]) {
                    flipped++;
                }
                j++;
            }
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add("c" + c);
        }
        CrowdDataset data = CrowdDataset.ofIndices(IdIndex.range(numItems),
                IdIndex.of(annotators.stream().map(Annotator::id).toList()), IdIndex.of(classes), item, annotator,
                label, shown);
        return new Crowd(data, truth, ambiguous, flipped);
    }

    private static boolean contains(int[] chosen, int count, int a) {
        for (int r = 0; r < count; r++) {
            if (chosen[r] == a) {
                return true;
            }
        }
        return false;
    }

    private static int draw(double[] p, SplittableRandom random) {
        double u = random.nextDouble();
        for (int c = 0; c < p.length - 1; c++) {
            u -= p[c];
            if (u < 0) {
                return c;
            }
        }
        return p.length - 1;
    }

    private static int answer(Annotator a, int truth, int shownFirst, int k, SplittableRandom random) {
        switch (a.kind()) {
            case SPAMMER:
                return random.nextInt(k);
            case POSITION_BIASED:
                if (random.nextDouble() < a.positionBias()) {
                    return shownFirst;
                }
                return noisy(a.accuracy(), truth, k, random);
            default:
                return noisy(a.accuracy(), truth, k, random);
        }
    }

    private static int noisy(double accuracy, int truth, int k, SplittableRandom random) {
        if (random.nextDouble() < accuracy) {
            return truth;
        }
        int other = random.nextInt(k - 1);
        return other >= truth ? other + 1 : other;
    }
}
