package io.prefpipe.app;

import io.prefpipe.app.serve.ServeCommand;
import io.prefpipe.app.train.EvalCommand;
import io.prefpipe.app.train.LogprobsCommand;
import io.prefpipe.app.train.OptimizeCommand;
import io.prefpipe.app.train.ScoreCommand;
import io.prefpipe.app.train.TrainRmCommand;
import picocli.CommandLine.Command;

/** The top-level command; everything is a subcommand. */
@Command(
        name = "prefpipe",
        mixinStandardHelpOptions = true,
        version = "prefpipe 0.1.0",
        description = "Human feedback on Kafka to curated preference pairs and aligned language-model checkpoints.",
        subcommands = {
            BrokerCommand.class,
            IngestCommand.class,
            CurateCommand.class,
            ExportCommand.class,
            ServeCommand.class,
            SnapshotCommand.class,
            DemoCommand.class,
            RunCommand.class,
            DashboardCommand.class,
            RsoCommand.class,
            LabelCommand.class,
            LabelReportCommand.class,
            TrainRmCommand.class,
            OptimizeCommand.class,
            EvalCommand.class,
            LogprobsCommand.class,
            ScoreCommand.class,
            BenchCommand.class,
        })
public final class PrefpipeCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
