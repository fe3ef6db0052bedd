package io.prefpipe.app;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.CrowdAggregator;
import io.prefpipe.labeling.crowd.CrowdAggregators;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.FlagThresholds;
import io.prefpipe.labeling.crowd.FlipRateEstimate;
import io.prefpipe.labeling.eval.AccuracyReport;
import io.prefpipe.labeling.eval.CrowdCsv;
import io.prefpipe.labeling.eval.Evaluation;
import io.prefpipe.labeling.eval.GoldLabels;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Batch truth inference over a crowd-labelling CSV. */
@Command(
        name = "label",
        header = "Infers true labels from several annotators' labels.",
        mixinStandardHelpOptions = true,
        description = {
            "Infers the true label of every item from several annotators' labels (question,worker,answer CSV) with",
            "majority vote (mv), agreement-weighted vote (wawa), Dawid-Skene (ds), position-aware Dawid-Skene",
            "(ds-position) or GLAD (glad). Writes item,label,confidence; with --truth prints accuracy; with",
            "--annotators writes each annotator's estimated accuracy, the method's own estimates and flags."
        })
final class LabelCommand implements Callable<Integer> {
    @Option(names = "--method", defaultValue = "ds", description = "mv, wawa, ds, ds-position or glad (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--answers", required = true, description = "CSV with header question,worker,answer.")
    Path answers;

    @Option(names = "--truth", description = "CSV with header question,truth; prints accuracy over the items in it.")
    Path truth;

    @Option(names = "--out", description = "Where to write item,label,confidence (default: standard output).")
    Path out;

    @Option(names = "--annotators", description = "Where to write the per-annotator estimates.")
    Path annotators;

    @Override
    public Integer call() throws Exception {
        CrowdAggregator<?> aggregator = CrowdAggregators.byName(method);
        long t0 = System.nanoTime();
        CrowdDataset data = CrowdCsv.readAnswers(answers);
        AggregationResult<?> result = aggregator.fit(data);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (out == null) {
            Writer stdout = new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            CrowdCsv.writeLabels(result, stdout);
            stdout.flush();
        } else {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                CrowdCsv.writeLabels(result, w);
            }
        }
        if (annotators != null) {
            try (Writer w = Files.newBufferedWriter(annotators, StandardCharsets.UTF_8)) {
                CrowdCsv.writeAnnotators(result.model(), FlagThresholds.DEFAULTS, w);
            }
        }
        FlipRateEstimate flips = result.flipRate();
        System.err.printf("%s: %d judgements on %d items by %d annotators, %d classes; %d iterations%s in %.2f s%n",
                method, data.numJudgements(), data.numItems(), data.numAnnotators(), data.numClasses(),
                result.iterations(), result.converged() ? " (converged)" : "", seconds);
        System.err.printf("estimated flip rate: %.4f per judgement, %.4f per decided label%n", flips.perJudgement(),
                flips.perDecidedLabel());
        if (truth != null) {
            GoldLabels gold = CrowdCsv.readTruth(truth, data);
            AccuracyReport a = Evaluation.accuracy(result, gold);
            System.err.printf("accuracy %.4f over %d items with truth (%d undecided; %.4f counting undecided as"
                    + " wrong)%n", a.accuracy(), a.itemsWithTruth(), a.undecided(), a.strictAccuracy());
        }
        return 0;
    }
}
