package io.prefpipe.app.train;

import io.prefpipe.app.SnapshotInput;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.train.JsonlMetricsListener;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.reward.loss.PairwiseMetrics;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.train.RewardModelTrainer;
import io.prefpipe.reward.train.RewardTrainingConfig;
import io.prefpipe.reward.train.RewardTrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a Bradley-Terry reward model on a snapshot and reports its held-out pairwise accuracy. */
@Command(
        name = "train-rm",
        header = "Trains a Bradley-Terry reward model on a snapshot.",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a reward model r(x, y) (the policy backbone with a scalar head on the last token) on a snapshot's",
            "pairs with the Bradley-Terry loss -mean log sigma(r_c - r_r) + c * mean((r_c + r_r)^2), holding out",
            "--held-out of the pairs, and prints pairwise accuracy and loss on both parts. The backbone starts from",
            "--base (usually the SFT policy) or, without it, from random weights of the default shape."
        })
public final class TrainRmCommand implements Callable<Integer> {

    @Option(names = "--snapshot", required = true, description = "Snapshot folder (with its manifest), or its"
            + " location in a store such as S3 (s3://...), fetched first.")
    String snapshot;

    @Mixin
    SnapshotInput snapshotInput;

    @Option(names = "--base", description = "Policy folder or checkpoint whose backbone the reward model starts from.")
    Path base;

    @Option(names = "--out", required = true, description = "Reward model folder to create; must not exist.")
    Path out;

    @Option(names = "--held-out", description = "Fraction of pairs held out (default: ${DEFAULT-VALUE}).")
    double heldOut = RewardTrainingConfig.DEFAULT_HELD_OUT_FRACTION;

    @Option(names = "--centering", description = "Centering coefficient c (default: ${DEFAULT-VALUE}).")
    double centering;

    @Option(names = "--metrics", description = "JSONL file of per-step metrics (default: <out>.metrics.jsonl).")
    Path metrics;

    @Option(names = "--log-every", description = "Progress line every N steps (default: ${DEFAULT-VALUE}).")
    int logEvery = 50;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists; reward models are never overwritten");
        }
        PreferenceSnapshot data;
        try (SnapshotInput.LocalSnapshot input = snapshotInput.open("--snapshot", snapshot, System.out)) {
            data = new SnapshotReader().read(input.folder());
        }
        RewardTrainingConfig config = RewardTrainingConfig.builder()
                .setTraining(training.toConfig(0.1, 500))
                .setHeldOutFraction(heldOut)
                .setSplitSeed(training.seed())
                .setCentering(centering)
                .build();
        Path metricsFile = metrics != null ? metrics : out.resolveSibling(out.getFileName() + ".metrics.jsonl");
        try (RewardModel model = base != null ? RewardModel.fromPolicy(base, training.seed())
                        : RewardModel.create(PolicyConfig.defaults(), training.seed());
                JsonlMetricsListener jsonl = JsonlMetricsListener.create(metricsFile)) {
            RewardTrainingResult result = new RewardModelTrainer(config, TrainingListener.printing(System.out, logEvery)
                    .andThen(jsonl)).train(model, data.examples(), "snapshot " + data.manifest().snapshotId());
            print("train", result.train());
            result.heldOutMetrics().ifPresent(m -> print("held-out", m));
            model.save(out);
        }
        System.out.printf(Locale.ROOT, "reward model written to %s (%.1f s)%n", out,
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static void print(String part, PairwiseMetrics m) {
        System.out.printf(Locale.ROOT, "%-8s %,7d pairs: pairwise accuracy %.4f, Bradley-Terry loss %.4f, mean margin"
                + " %.4f%n", part, m.pairs(), m.accuracy(), m.loss(), m.meanMargin());
    }
}
