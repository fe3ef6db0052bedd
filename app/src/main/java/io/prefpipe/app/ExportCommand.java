package io.prefpipe.app;

import io.prefpipe.app.export.TrlExport;
import io.prefpipe.ingestion.format.TrlWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes a curated snapshot in a format other tools read. */
@Command(
        name = "export",
        header = "Writes a snapshot's pairs as a TRL preference dataset.",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a snapshot's curated pairs as a TRL preference dataset (JSONL):",
            "one {\"prompt\", \"chosen\", \"rejected\"} line per pair, plus pair_id and",
            "p_chosen (extra columns TRL's trainers do not use). Reads the snapshot",
            "through its manifest and refuses it if the manifest is missing or a",
            "listed file's rows, size or SHA-256 differ. Prints pairs read, lines",
            "written and the time."
        })
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--format", required = true, description = "Output format; only trl for now.")
    String format;

    @Option(names = "--snapshot", required = true, description = "Snapshot folder (with its manifest), or its"
            + " location in a store such as S3 (s3://...), fetched first.")
    String snapshot;

    @Mixin
    SnapshotInput snapshotInput;

    @Option(names = "--out", required = true, description = "JSONL file to create; must not exist.")
    Path out;

    @Option(names = "--conversational",
            description = "Write prompt, chosen and rejected as lists of {\"role\", \"content\"} messages.")
    boolean conversational;

    @Option(names = "--no-extra-fields", negatable = false,
            description = "Write only prompt, chosen and rejected (no pair_id, p_chosen).")
    boolean noExtraFields;

    @Override
    public Integer call() {
        if (!"trl".equals(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be trl, got '" + format + "'");
        }
        TrlExport.Report report;
        try (SnapshotInput.LocalSnapshot input = snapshotInput.open("--snapshot", snapshot, System.out)) {
            TrlExport.Options options = new TrlExport.Options(input.folder(), out,
                    conversational ? TrlWriter.Form.CONVERSATIONAL : TrlWriter.Form.STANDARD, !noExtraFields);
            report = TrlExport.run(options, n -> System.out.printf("... %,d lines written%n", n));
        } catch (IOException e) {
            System.err.println("export refused: " + e.getMessage());
            return 1;
        }
        System.out.printf("exported snapshot %s (%d file(s) listed in its manifest, checksums verified): %,d pairs in,"
                + " %,d lines out (%s%s) to %s in %.1f s%n", report.snapshotId(), report.files(), report.pairsRead(),
                report.linesWritten(), conversational ? "conversational" : "standard",
                noExtraFields ? "" : ", with pair_id and p_chosen", report.out(),
                report.elapsed().toMillis() / 1000.0);
        return 0;
    }
}
