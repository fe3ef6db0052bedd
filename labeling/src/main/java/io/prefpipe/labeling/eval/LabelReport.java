package io.prefpipe.labeling.eval;

import io.prefpipe.labeling.crowd.CrowdAggregator;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.crowd.GladAggregator;
import io.prefpipe.labeling.crowd.MajorityVoteAggregator;
import io.prefpipe.labeling.crowd.WawaAggregator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs every crowd aggregator with default settings on the crowd-truth datasets and tabulates accuracy against gold
 * (undecided items earn 1/m for an m-way tie that holds the truth, see {@link AccuracyReport}). Behind
 * {@code prefpipe label-report}; {@code labeling/ACCURACY.md} holds its output.
 *
 * <p>Usage: {@code LabelReport [crowd-truth directory]}, default {@code ../shared/data/crowd-truth}; each dataset is
 * a sub-directory with {@code answer.csv} and {@code truth.csv}.
 */
public final class LabelReport {
    /** The datasets of the report, in table order. */
    public static final List<String> DATASETS = List.of("duck", "product", "dog", "face");
    /** Where the datasets live, relative to the project root. */
    public static final Path DEFAULT_ROOT = Path.of("..", "shared", "data", "crowd-truth");

    private LabelReport() {}

    /**
     * One dataset's line of the table.
     *
     * @param dataset the dataset's directory name
     * @param classes K
     * @param items items with at least one answer
     * @param itemsWithTruth items with a gold label, the accuracy denominator
     * @param answers judgements
     * @param annotators distinct annotators
     * @param accuracy accuracy by method name, in column order
     */
    public record Row(String dataset, int classes, int items, int itemsWithTruth, int answers, int annotators,
            Map<String, AccuracyReport> accuracy) {
        public Row {
            Objects.requireNonNull(dataset, "dataset");
            accuracy = Collections.unmodifiableMap(new LinkedHashMap<>(accuracy));
        }
    }

    /** The report: one row per dataset, one accuracy column per method. */
    public record Result(List<String> methods, List<Row> rows) {
        public Result {
            methods = List.copyOf(methods);
            rows = List.copyOf(rows);
        }

        /** The row of a dataset. */
        public Row row(String dataset) {
            return rows.stream().filter(r -> r.dataset().equals(dataset)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for dataset " + dataset));
        }

        /** A markdown table; an accuracy cell notes how many items were undecided, if any. */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder("| dataset | K | items | items with truth | answers | annotators |");
            for (String m : methods) {
                sb.append(' ').append(m).append(" |");
            }
            sb.append("\n|---|---:|---:|---:|---:|---:|");
            sb.append("---:|".repeat(methods.size())).append('\n');
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %,d | %,d |", r.dataset(), r.classes(),
                        r.items(), r.itemsWithTruth(), r.answers(), r.annotators()));
                for (String m : methods) {
                    AccuracyReport a = r.accuracy().get(m);
                    sb.append(String.format(Locale.ROOT, " %.4f", a.accuracy()));
                    if (a.undecided() > 0) {
                        sb.append(String.format(Locale.ROOT, " (%d undecided)", a.undecided()));
                    }
                    sb.append(" |");
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /** Majority vote, Wawa, Dawid-Skene and GLAD with their default settings, in column order. */
    public static List<CrowdAggregator<?>> defaultAggregators() {
        return List.of(new MajorityVoteAggregator(), new WawaAggregator(), new DawidSkeneAggregator(),
                new GladAggregator());
    }

    /**
     * Runs the default aggregators on every dataset under {@code root}.
     *
     * @throws IOException if a dataset cannot be read
     */
    public static Result run(Path root) throws IOException {
        return run(root, defaultAggregators());
    }

    /** Runs these aggregators on every dataset under {@code root}. */
    public static Result run(Path root, List<CrowdAggregator<?>> aggregators) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String name : DATASETS) {
            Path dir = root.resolve(name);
            CrowdDataset data = CrowdCsv.readAnswers(dir.resolve("answer.csv"));
            GoldLabels gold = CrowdCsv.readTruth(dir.resolve("truth.csv"), data);
            Map<String, AccuracyReport> accuracy = new LinkedHashMap<>();
            for (CrowdAggregator<?> aggregator : aggregators) {
                accuracy.put(aggregator.name(), Evaluation.accuracy(aggregator.fit(data), gold));
            }
            rows.add(new Row(name, data.numClasses(), data.numItems(), gold.itemsWithTruth(), data.numJudgements(),
                    data.numAnnotators(), accuracy));
        }
        return new Result(aggregators.stream().map(CrowdAggregator::name).toList(), rows);
    }

    /** Prints the markdown table for the datasets under {@code args[0]} (default {@link #DEFAULT_ROOT}). */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : DEFAULT_ROOT;
        if (!Files.isDirectory(root)) {
            System.err.println("crowd-truth directory not found: " + root.toAbsolutePath());
            System.exit(2);
        }
        System.out.print(run(root).toMarkdown());
    }
}
