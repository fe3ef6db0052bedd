package io.prefpipe.labeling.eval;

/**
 * Accuracy of aggregated labels against gold, over the items that have a gold label.
 *
 * <p>An UNDECIDED item earns 1/m when its true class is one of the m classes tied for most probable, else 0: the
 * expected accuracy of breaking the tie uniformly at random (half a point for a two-way tie). This keeps the
 * aggregator honest (it never guesses) while making its accuracy comparable with published numbers, which break ties
 * at random. {@link #strictAccuracy()} counts every undecided item as wrong.
 *
 * @param itemsWithTruth items with a gold label: the denominator
 * @param decided of those, items with a decided label
 * @param correct of the decided, those whose label is the gold label
 * @param undecidedCredit the credit the undecided items earned, as above
 */
public record AccuracyReport(int itemsWithTruth, int decided, int correct, double undecidedCredit) {
    public AccuracyReport {
        if (itemsWithTruth < 0 || decided < 0 || decided > itemsWithTruth || correct < 0 || correct > decided) {
            throw new IllegalArgumentException("need 0 <= correct <= decided <= itemsWithTruth, got correct=" + correct
                    + " decided=" + decided + " itemsWithTruth=" + itemsWithTruth);
        }
        if (!(undecidedCredit >= 0 && undecidedCredit <= itemsWithTruth - decided)) {
            throw new IllegalArgumentException("undecidedCredit must be in [0, undecided items], got "
                    + undecidedCredit);
        }
    }

    /** (correct + undecidedCredit) / itemsWithTruth; NaN without gold. */
    public double accuracy() {
        return (correct + undecidedCredit) / itemsWithTruth;
    }

    /** correct / itemsWithTruth: undecided counts as wrong; NaN without gold. */
    public double strictAccuracy() {
        return (double) correct / itemsWithTruth;
    }

    /** Share of the items with gold that got a decided label. */
    public double coverage() {
        return (double) decided / itemsWithTruth;
    }

    /** Items with gold but no decided label. */
    public int undecided() {
        return itemsWithTruth - decided;
    }
}
