package io.prefpipe.app.train;

import io.prefpipe.app.SnapshotInput;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.optimizer.checkpoint.Checkpoint;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.checkpoint.CheckpointWriter;
import io.prefpipe.optimizer.data.HeldOutSplit;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.PreferenceSnapshot;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.NashMdLoss;
import io.prefpipe.optimizer.loss.PairwisePreferenceLoss;
import io.prefpipe.optimizer.loss.PreferenceLosses;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.optimizer.online.NashMdTrainer;
import io.prefpipe.optimizer.train.JsonlMetricsListener;
import io.prefpipe.optimizer.train.ListwiseTrainer;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.optimizer.train.TrainingState;
import io.prefpipe.optimizer.train.TrainingStateStore;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.reward.preference.RewardPreferenceModel;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Preference optimization of a policy on a curated snapshot, with any loss of the family. */
@Command(
        name = "optimize",
        header = "Optimizes a policy on a snapshot with a preference loss.",
        mixinStandardHelpOptions = true,
        description = {
            "Optimizes a policy on a snapshot (read through its manifest) with a preference loss, and writes a",
            "checkpoint with its lineage (snapshot, base model, loss, config, metrics).",
            "  dpo, cdpo (--epsilon = label smoothing), rdpo (--epsilon = flip rate; default: the snapshot's",
            "  estimate), ipo (length-normalised unless --ipo-summed), hinge, rpo (--alpha): offline, on the pairs;",
            "  lipo: LiPO-lambda on the lists the pairs form per prompt (label = a response's wins over the most",
            "  wins in its list; --max-list-size);",
            "  nash-md: online, samples its own responses for the snapshot's prompts, judged by --reward-model.",
            "A held-out part of the pairs (--held-out, split by --seed) is never trained on; `prefpipe eval` uses",
            "the same split."
        })
public final class OptimizeCommand implements Callable<Integer> {

    @Option(names = "--loss", required = true, description = "dpo, cdpo, rdpo, ipo, hinge, rpo, lipo or nash-md.")
    String loss;

    @Option(names = "--snapshot", required = true, description = "Snapshot folder (with its manifest), or its"
            + " location in a store such as S3 (s3://...), fetched first.")
    String snapshot;

    @Mixin
    SnapshotInput snapshotInput;

    @Option(names = "--base", required = true, description = "The policy to start from: a model folder (prefpipe or"
            + " Hugging Face GPT-2) or a checkpoint.")
    Path base;

    @Option(names = "--reference", description = "The reference policy (default: the base).")
    Path reference;

    @Option(names = "--out", required = true, description = "Checkpoint folder to create; must not exist.")
    Path out;

    @Option(names = "--beta", description = "Inverse temperature beta (default: 0.1).")
    double beta = 0.1;

    @Option(names = "--epsilon", description = "cdpo: label smoothing; rdpo: label flip rate (default for rdpo: the"
            + " snapshot manifest's estimate).")
    Double epsilon;

    @Option(names = "--alpha", description = "rpo: weight of the chosen responses' NLL (default: 1.0).")
    Double alpha;

    @Option(names = "--ipo-summed", description = "ipo: summed log-probs (the paper's form) instead of per-token means.")
    boolean ipoSummed;

    @Option(names = "--held-out", description = "Fraction of pairs held out of training (default: ${DEFAULT-VALUE}).")
    double heldOut = 0.1;

    @Option(names = "--max-list-size", description = "lipo: most responses per list (default: ${DEFAULT-VALUE}).")
    int maxListSize = 8;

    @Option(names = "--reward-model", description = "nash-md: reward model whose sigma(r(y) - r(y')) is the"
            + " preference model.")
    Path rewardModel;

    @Option(names = "--mixture", description = "nash-md: reference weight m of the geometric mixture (default:"
            + " ${DEFAULT-VALUE}).")
    double mixture = PolicyModel.DEFAULT_MIXTURE_WEIGHT;

    @Option(names = "--max-new-tokens", description = "nash-md: tokens per sampled response (default: ${DEFAULT-VALUE}).")
    int maxNewTokens = 48;

    @Option(names = "--temperature", description = "nash-md: sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature = 1.0;

    @Option(names = "--resume", description = "Continue the run whose training state is in <out>.state.")
    boolean resume;

    @Option(names = "--metrics", description = "JSONL file of per-step metrics (default: <out>.metrics.jsonl).")
    Path metrics;

    @Option(names = "--log-every", description = "Progress line every N steps (default: ${DEFAULT-VALUE}).")
    int logEvery = 25;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        List<String> losses = new ArrayList<>(PreferenceLosses.NAMES);
        losses.add(LipoLambdaLoss.NAME);
        losses.add(NashMdLoss.NAME);
        if (!losses.contains(loss.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--loss: unknown loss '" + loss + "'; choose one of "
                    + String.join(", ", losses));
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists; checkpoints are never overwritten");
        }
        // held until training ends: a --reference model's log-probabilities are cached in the snapshot's folder
        try (SnapshotInput.LocalSnapshot input = snapshotInput.open("--snapshot", snapshot, System.out)) {
            return optimize(input.folder(), start);
        }
    }

    private int optimize(Path snapshotDir, long start) throws Exception {
        PreferenceSnapshot data = new SnapshotReader().read(snapshotDir);
        HeldOutSplit<PreferenceExample> split = HeldOutSplit.of(data.examples(), heldOut, training.seed());
        System.out.printf(Locale.ROOT, "snapshot %s: %,d pairs = %,d train + %,d held out%n",
                data.manifest().snapshotId(), data.examples().size(), split.train().size(), split.heldOut().size());
        Path metricsFile = metrics != null ? metrics : out.resolveSibling(out.getFileName() + ".metrics.jsonl");
        Path stateDir = out.resolveSibling(out.getFileName() + ".state");
        String name = loss.toLowerCase(Locale.ROOT);
        try (PolicyModel policy = PolicyDirs.load(base);
                PolicyModel ref = reference == null ? policy.frozenCopy() : PolicyDirs.load(reference);
                JsonlMetricsListener jsonl = resume ? JsonlMetricsListener.append(metricsFile)
                        : JsonlMetricsListener.create(metricsFile)) {
            TrainingListener listener = TrainingListener.printing(System.out, logEvery).andThen(jsonl);
            CheckpointManifest.Builder manifest = CheckpointManifest.builder()
                    .setCheckpointId(out.getFileName().toString())
                    .setCreatedTime(Instant.now())
                    .setPolicy(policy.config())
                    .setSnapshot(data.manifest())
                    .setProperty("base", base.toAbsolutePath().toString())
                    .setProperty("reference", reference == null ? "the base" : reference.toAbsolutePath().toString())
                    .setProperty("held_out.fraction", Double.toString(heldOut))
                    .setProperty("held_out.pairs", Integer.toString(split.heldOut().size()))
                    .setProperty("seed", Long.toString(training.seed()));
            TrainingResult result;
            TrainingConfig config;
            if (name.equals(LipoLambdaLoss.NAME)) {
                config = training.toConfig(beta, 200);
                List<RankedExample> lists = RankedExample.fromPairs(split.train(), maxListSize);
                System.out.printf(Locale.ROOT, "lipo: %,d lists from the training pairs%n", lists.size());
                ListwiseTrainer trainer = ListwiseTrainer.builder(new LipoLambdaLoss(beta), config)
                        .setListener(listener)
                        .setStateDir(stateDir)
                        .build();
                manifest.setLoss(new CheckpointManifest.LossSpec(LipoLambdaLoss.NAME, beta, Map.of()));
                if (resume) {
                    TrainingState state = latestState(stateDir);
                    try (PolicyModel resumed = PolicyModel.load(state.modelDir())) {
                        result = trainer.resume(state, resumed, ref, lists);
                        return write(resumed, manifest.setTraining(config).setResult(result), start);
                    }
                }
                result = trainer.train(policy, ref, lists);
            } else if (name.equals(NashMdLoss.NAME)) {
                if (rewardModel == null) {
                    throw new IllegalArgumentException("nash-md needs --reward-model: its preference model is"
                            + " sigma(r(y) - r(y')) of a reward model (train one with `prefpipe train-rm`)");
                }
                config = training.toConfig(beta, 200);
                List<String> prompts = new ArrayList<>(new LinkedHashSet<>(
                        split.train().stream().map(e -> e.prompt()).toList()));
                SamplingOptions sampling = SamplingOptions.builder().setMaxNewTokens(maxNewTokens)
                        .setTemperature(temperature).build();
                NashMdTrainer trainer = NashMdTrainer.builder(new NashMdLoss(beta), config, sampling)
                        .setMixtureWeight(mixture)
                        .setListener(listener)
                        .setStateDir(stateDir)
                        .build();
                manifest.setLoss(new CheckpointManifest.LossSpec(NashMdLoss.NAME, beta, Map.of("mixture", mixture)))
                        .setProperty("reward_model", rewardModel.toAbsolutePath().toString());
                try (RewardModel judge = RewardModel.load(rewardModel)) {
                    RewardPreferenceModel preference = new RewardPreferenceModel(judge);
                    if (resume) {
                        TrainingState state = latestState(stateDir);
                        try (PolicyModel resumed = PolicyModel.load(state.modelDir())) {
                            result = trainer.resume(state, resumed, ref, preference, prompts);
                            return write(resumed, manifest.setTraining(config).setResult(result), start);
                        }
                    }
                    result = trainer.train(policy, ref, preference, prompts);
                }
            } else {
                PairwisePreferenceLoss pairwise = pairwiseLoss(name, data.manifest());
                config = training.toConfig(beta, 200);
                PreferenceTrainer trainer = PreferenceTrainer.builder(pairwise, config)
                        .setListener(listener)
                        .setReferenceCacheDir(reference == null ? null : snapshotDir)
                        .setStateDir(stateDir)
                        .build();
                if (resume) {
                    TrainingState state = latestState(stateDir);
                    try (PolicyModel resumed = PolicyModel.load(state.modelDir())) {
                        result = trainer.resume(state, resumed, trainer.referenceLogProbs(ref, split.train()),
                                split.train());
                        return write(resumed, manifest.setLoss(pairwise).setTraining(config).setResult(result), start);
                    }
                }
                result = trainer.train(policy, ref, split.train());
                manifest.setLoss(pairwise);
                if (!split.heldOut().isEmpty()) {
                    Map<String, Double> eval = trainer.evaluate(policy, ref, split.heldOut());
                    System.out.println("held-out: " + format(eval));
                    eval.forEach((k, v) -> manifest.setProperty("eval." + k, Double.toString(v)));
                }
            }
            return write(policy, manifest.setTraining(config).setResult(result), start);
        }
    }

    /** The training state to resume from, announced on the console. */
    private static TrainingState latestState(Path stateDir) throws IOException {
        Optional<TrainingState> state = new TrainingStateStore(stateDir).latest();
        if (state.isEmpty()) {
            throw new IllegalArgumentException("--resume: no training state in " + stateDir);
        }
        System.out.printf(Locale.ROOT, "resuming after step %d from %s%n", state.get().manifest().step(),
                state.get().dir());
        return state.get();
    }

    private int write(PolicyModel policy, CheckpointManifest.Builder manifest, long start) throws Exception {
        Path parent = out.toAbsolutePath().getParent();
        Checkpoint checkpoint = new CheckpointWriter(parent).write(policy, manifest.build());
        System.out.printf(Locale.ROOT, "checkpoint %s written (%.1f s)%n", checkpoint.dir(),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private PairwisePreferenceLoss pairwiseLoss(String name, SnapshotManifest manifest) {
        PreferenceLosses.Builder builder = PreferenceLosses.builder(name).setBeta(beta);
        Double eps = epsilon;
        if (eps == null && name.equals("rdpo")) {
            eps = flipRate(manifest).orElseThrow(() -> new IllegalArgumentException("rdpo needs epsilon (the label"
                    + " flip rate): the snapshot manifest has no " + LabelNoise.DECIDED_ERROR_RATE + " estimate;"
                    + " give --epsilon"));
            System.out.printf(Locale.ROOT, "rdpo: epsilon %.4f from the snapshot's %s%n", eps,
                    LabelNoise.DECIDED_ERROR_RATE);
        }
        if (eps != null) {
            builder.setEpsilon(eps);
        }
        if (alpha != null) {
            builder.setAlpha(alpha);
        }
        if (name.equals("ipo")) {
            builder.setLengthNormalized(!ipoSummed);
        }
        return builder.build();
    }

    /** The estimated error rate of the snapshot's labels, as the curation job recorded it. */
    static Optional<Double> flipRate(SnapshotManifest manifest) {
        String value = manifest.properties().get(LabelNoise.DECIDED_ERROR_RATE);
        return value == null ? Optional.empty() : Optional.of(Double.parseDouble(value));
    }

    static String format(Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return s.toString();
    }
}
