package io.prefpipe.app;

import io.prefpipe.labeling.eval.LabelReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The accuracy table of every aggregator on the real crowd-labelling sets. */
@Command(
        name = "label-report",
        header = "Compares every aggregator on real crowd-labelling sets.",
        mixinStandardHelpOptions = true,
        description = "Runs every aggregator on the crowd-truth sets (duck, product, dog, face) and prints a markdown"
                + " table of accuracy against their ground truth.")
final class LabelReportCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "../shared/data/crowd-truth",
            description = "Folder holding duck/, product/, dog/ and face/ (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            System.err.println("no crowd-truth folder at " + data.toAbsolutePath() + " (see --data)");
            return 2;
        }
        System.out.print(LabelReport.run(data).toMarkdown());
        return 0;
    }
}
