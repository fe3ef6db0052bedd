package io.prefpipe.app.train;

import io.prefpipe.app.SnapshotInput;
import io.prefpipe.app.eval.KlEstimate;
import io.prefpipe.app.eval.TrueRewardEvaluation;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.reward.loss.PairwiseMetrics;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.train.RewardModelTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures a policy: held-out reward accuracy, KL to the reference, and true-reward win rate in the synthetic world. */
@Command(
        name = "eval",
        header = "Evaluates a policy against its reference.",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a policy against its reference:",
            "  held-out reward accuracy: on the snapshot's held-out pairs (the split `prefpipe optimize` made with the",
            "    same --held-out and --seed), the share whose implicit reward beta*(log pi - log pi_ref) ranks the",
            "    chosen response above the rejected one; with --reward-model also that model's pairwise accuracy;",
            "  KL to the reference: E_{y~pi}[log pi(y|x) - log pi_ref(y|x)] over responses sampled on the held-out",
            "    prompts (Monte Carlo, with its standard error);",
            "  with --synthetic: mean true reward r* of samples on the synthetic world's 72 held-out prompts and the",
            "    win rate of the policy's samples against the reference's (ties count half)."
        })
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Policy folder or checkpoint to evaluate.")
    Path model;

    @Option(names = "--reference", required = true, description = "Reference policy folder or checkpoint.")
    Path reference;

    @Option(names = "--snapshot", description = "Snapshot whose held-out pairs measure reward accuracy: its folder,"
            + " or its location in a store such as S3 (s3://...), fetched first.")
    String snapshot;

    @Mixin
    SnapshotInput snapshotInput;

    @Option(names = "--held-out", description = "Held-out fraction, as given to optimize (default: ${DEFAULT-VALUE}).")
    double heldOut = 0.1;

    @Option(names = "--seed", description = "Split and sampling seed, as given to optimize (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--beta", description = "beta of the implicit reward (default: ${DEFAULT-VALUE}).")
    double beta = DpoLoss.DEFAULT_BETA;

    @Option(names = "--reward-model", description = "A reward model to score the held-out pairs with.")
    Path rewardModel;

    @Option(names = "--synthetic", description = "Score samples with the synthetic world's true reward.")
    boolean synthetic;

    @Option(names = "--samples-per-prompt", description = "Samples per held-out prompt (default: ${DEFAULT-VALUE}).")
    int samplesPerPrompt = 4;

    @Option(names = "--max-new-tokens", description = "Tokens per sampled response (default: ${DEFAULT-VALUE}).")
    int maxNewTokens = 40;

    @Option(names = "--temperature", description = "Temperature of the win-rate samples (default: ${DEFAULT-VALUE}).")
    double temperature = 0.7;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (snapshot == null && !synthetic) {
            throw new IllegalArgumentException("nothing to evaluate on: give --snapshot, --synthetic or both");
        }
        try (PolicyModel policy = PolicyDirs.load(model); PolicyModel ref = PolicyDirs.load(reference)) {
            List<String> klPrompts = new ArrayList<>();
            if (snapshot != null) {
                PreferenceSnapshot data;
                try (SnapshotInput.LocalSnapshot input = snapshotInput.open("--snapshot", snapshot, System.out)) {
                    data = new SnapshotReader().read(input.folder());
                }
                List<PreferenceExample> held = HeldOutSplit.of(data.examples(), heldOut, seed).heldOut();
                if (held.isEmpty()) {
                    throw new IllegalArgumentException("--held-out " + heldOut + " holds out no pairs of snapshot "
                            + data.manifest().snapshotId());
                }
                Map<String, Double> implicit = new PreferenceTrainer(new DpoLoss(beta),
                        TrainingConfig.builder().setBeta(beta).build()).evaluate(policy, ref, held);
                System.out.printf(Locale.ROOT, "held-out pairs: %,d; implicit reward accuracy %.4f, margin %.4f,"
                                + " DPO loss %.4f%n", held.size(), implicit.get("rewards/accuracy"),
                        implicit.get("rewards/margin"), implicit.get("loss"));
                if (rewardModel != null) {
                    try (RewardModel judge = RewardModel.load(rewardModel)) {
                        PairwiseMetrics m = RewardModelTrainer.evaluate(judge, held);
                        System.out.printf(Locale.ROOT, "reward model %s on %,d held-out pairs: accuracy %.4f, loss %.4f,"
                                + " mean margin %.4f%n", rewardModel, m.pairs(), m.accuracy(), m.loss(), m.meanMargin());
                    }
                }
                klPrompts.addAll(new LinkedHashSet<>(held.stream().map(PreferenceExample::prompt).toList()));
            }
            SyntheticWorld world = new SyntheticWorld();
            if (synthetic) {
                TrueRewardEvaluation eval = new TrueRewardEvaluation(world, world.heldOutPrompts(), samplesPerPrompt,
                        maxNewTokens, temperature);
                List<String> own = eval.sample(policy, seed + 1);
                List<String> refA = eval.sample(ref, seed + 1);
                List<String> refB = eval.sample(ref, seed + 2);
                System.out.printf(Locale.ROOT, "true reward on %d samples of %d held-out prompts (temperature %.2f):"
                                + " policy %.3f, reference %.3f%n", eval.size(), world.heldOutPrompts().size(),
                        temperature, eval.meanReward(own), eval.meanReward(refA));
                System.out.printf(Locale.ROOT, "true-reward win rate vs the reference: %.3f (reference vs itself:"
                        + " %.3f)%n", eval.winRate(own, refB), eval.winRate(refA, refB));
                if (klPrompts.isEmpty()) {
                    klPrompts.addAll(world.heldOutPrompts());
                }
            }
            List<String> repeated = new ArrayList<>();
            for (String prompt : klPrompts) {
                for (int i = 0; i < samplesPerPrompt; i++) {
                    repeated.add(prompt);
                }
            }
            KlEstimate kl = KlEstimate.of(policy, ref, repeated, maxNewTokens, seed + 3);
            System.out.printf(Locale.ROOT, "KL(policy || reference) = %.4f nats per response (standard error %.4f,"
                    + " %d samples)%n", kl.kl(), kl.standardError(), kl.samples());
        }
        System.out.printf(Locale.ROOT, "evaluated in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
