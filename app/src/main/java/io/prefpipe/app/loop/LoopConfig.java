package io.prefpipe.app.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prefpipe.flink.curate.Aggregators;
import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.labeling.sampling.Pairing;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.NashMdLoss;
import io.prefpipe.optimizer.loss.PreferenceLosses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code prefpipe run} needs, read from YAML (see the documented {@code prefpipe.yaml} at the repository's
 * root for every field and its default). Immutable; built only by {@link #read}, which checks every field and names
 * the one that is wrong.
 *
 * @param name identifies the loop: its checkpoints are {@code <name>-iteration-NNNN}, its transactional ids start with
 *     it
 * @param dir the loop's folder: journal, iterations and, when the loop runs the curation job, the job's files
 * @param seed seeds training, splits and sampling
 * @param kafka the cluster and topics
 * @param curation the curation job the loop cuts snapshots from
 * @param schedule when iterations start
 * @param initialPolicy the policy the first iteration starts from (a model folder or a checkpoint)
 * @param reference what the loss anchors to
 * @param optimize the preference optimization of each iteration
 * @param rewardModel the reward model: where it starts, whether each iteration refreshes it
 * @param evaluate how a checkpoint is measured
 * @param candidates how new comparisons are generated for annotation
 * @param synthetic the simulated world, or null to run on real annotators
 */
public record LoopConfig(String name, Path dir, long seed, Kafka kafka, Curation curation, LoopSchedule schedule,
        Path initialPolicy, AlignmentLoop.Reference reference, Optimize optimize, RewardModel rewardModel,
        Evaluate evaluate, Candidates candidates, Synthetic synthetic) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public LoopConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(curation, "curation");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(initialPolicy, "initialPolicy");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(optimize, "optimize");
        Objects.requireNonNull(rewardModel, "rewardModel");
        Objects.requireNonNull(evaluate, "evaluate");
        Objects.requireNonNull(candidates, "candidates");
    }

    /**
     * The cluster and topics.
     *
     * @param bootstrap bootstrap servers
     * @param feedback Avro feedback events (the simulated annotators write their judgements here)
     * @param feedbackJson feedback events as JSON
     * @param deadLetters dead letters of feedback
     * @param pairs curated pairs
     * @param annotators annotator estimates
     * @param checkpoints {@code CheckpointEvent}s, one per iteration
     * @param candidates {@code AnnotationRequest}s: the comparisons the loop asks annotators to judge
     */
    public record Kafka(String bootstrap, String feedback, String feedbackJson, String deadLetters, String pairs,
            String annotators, String checkpoints, String candidates) {
        /** Every topic, curation's first. */
        public List<String> topics() {
            return List.of(feedback, feedbackJson, deadLetters, pairs, annotators, checkpoints, candidates);
        }
    }

    /**
     * The curation job.
     *
     * @param run whether the loop runs the job itself (unbounded, on a local MiniCluster, resumed from its newest
     *     retained checkpoint after a restart); else it cuts from {@code jobDir}, where a {@code prefpipe curate} job
     *     without {@code --bounded} writes
     * @param jobDir the job's snapshot folder
     * @param checkpointDir the job's Flink checkpoints, when the loop runs it
     * @param groupId the job's consumer group
     * @param startingOffsets where a new job starts reading
     * @param aggregator the label aggregator
     * @param emitAfterVotes votes after which a comparison is decided
     * @param comparisonWindow event time after a comparison's first vote when it is decided with the votes it has
     * @param checkpointInterval how often the job commits (pairs become visible to a cut at checkpoints)
     * @param parallelism the job's parallelism
     * @param flinkSettings Flink configuration keys of the job's local MiniCluster (YAML {@code flink}, a mapping), as
     *     {@code prefpipe curate -D} takes them; empty unless the loop runs the job
     */
    public record Curation(boolean run, Path jobDir, Path checkpointDir, String groupId, StartingOffsets startingOffsets,
            String aggregator, int emitAfterVotes, Duration comparisonWindow, Duration checkpointInterval,
            int parallelism, Map<String, String> flinkSettings) {}

    /**
     * Preference optimization, one run per iteration.
     *
     * @param loss one of {@link PreferenceLosses#NAMES}, {@code lipo} or {@code nash-md}
     * @param beta the loss's β
     * @param epsilon cdpo's label smoothing or rdpo's flip rate; null: the snapshot manifest's estimated error rate
     * @param alpha rpo's weight of the chosen NLL; null for the default
     * @param steps optimizer steps per iteration, or 0 when {@code epochs} is given
     * @param epochs passes over each snapshot's training pairs per iteration, or 0 when {@code steps} is given
     * @param batchSize pairs per step
     * @param learningRate AdamW's learning rate
     * @param heldOut share of each snapshot's pairs never trained on, for evaluation
     * @param mixture nash-md's reference weight
     * @param maxListSize lipo's most responses per list
     */
    public record Optimize(String loss, double beta, Double epsilon, Double alpha, int steps, int epochs,
            int batchSize, double learningRate, double heldOut, double mixture, int maxListSize) {}

    /**
     * The reward model, which scores candidates for rejection sampling (and judges for nash-md).
     *
     * @param initial a reward model folder to start from, or null: the first refresh starts from the initial
     *     policy's backbone
     * @param refresh whether each iteration trains it further on its snapshot
     * @param steps steps per refresh, or 0 when {@code epochs} is given
     * @param epochs passes over each snapshot's training pairs per refresh, or 0 when {@code steps} is given
     * @param batchSize pairs per step
     * @param learningRate AdamW's learning rate
     */
    public record RewardModel(Path initial, boolean refresh, int steps, int epochs, int batchSize,
            double learningRate) {}

    /**
     * How a checkpoint is measured.
     *
     * @param klSamples responses sampled from the policy to estimate KL to the reference
     * @param maxNewTokens tokens per sampled response
     */
    public record Evaluate(int klSamples, int maxNewTokens) {}

    /**
     * New comparisons for annotation, generated after each iteration from its checkpoint.
     *
     * @param enabled whether to generate any
     * @param prompts most prompts per iteration, drawn from the snapshot's prompts
     * @param samplesPerPrompt K: responses sampled per prompt
     * @param accept n: responses rejection sampling keeps per prompt
     * @param rsoBeta rejection sampling's temperature
     * @param pairing how the kept responses are paired
     * @param temperature sampling temperature
     * @param maxNewTokens tokens per sampled response
     */
    public record Candidates(boolean enabled, int prompts, int samplesPerPrompt, int accept, double rsoBeta,
            Pairing pairing, double temperature, int maxNewTokens) {}

    /**
     * The simulated world of {@code SyntheticWorld}: simulated annotators judge the published candidates and send their
     * judgements to the feedback topic, and evaluation adds the true reward.
     *
     * @param annotators simulated annotators (the synthetic feedback's default mix of behaviours)
     * @param judgementsPerComparison how many of them judge each candidate comparison
     * @param evalSamplesPerPrompt samples per held-out prompt and policy for the true-reward win rate
     * @param evalTemperature their sampling temperature
     */
    public record Synthetic(int annotators, int judgementsPerComparison, int evalSamplesPerPrompt,
            double evalTemperature) {}

    /**
     * Reads a YAML file, with {@code overrides} (dotted paths to values, see {@link #with}) applied.
     *
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file and the field, if the YAML or a field is wrong
     */
    public static LoopConfig load(Path file, Map<String, Object> overrides) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException("config file " + file + " does not exist", e);
        }
        try {
            JsonNode document = parse(text);
            for (Map.Entry<String, Object> o : overrides.entrySet()) {
                document = with(document, o.getKey(), o.getValue());
            }
            return read(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses YAML text into a tree, for {@link #read} (after changes, as the demo makes to its embedded defaults).
     *
     * @throws IllegalArgumentException with the line and column, if it is not YAML
     */
    public static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code document} with the field at the dotted {@code path} (e.g. {@code kafka.bootstrap}) set to {@code value}
     * (text, number or boolean), creating the sections on the way, or removed if {@code value} is null; for
     * command-line overrides and the demo.
     */
    public static JsonNode with(JsonNode document, String path, Object value) {
        ObjectNode root = document != null && document.isObject() ? ((ObjectNode) document).deepCopy()
                : YAML.createObjectNode();
        String[] parts = path.split("\\.");
        ObjectNode section = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = section.get(parts[i]);
            section = child != null && child.isObject() ? (ObjectNode) child : section.putObject(parts[i]);
        }
        if (value == null) {
            section.remove(parts[parts.length - 1]);
        } else {
            section.set(parts[parts.length - 1], YAML.valueToTree(value));
        }
        return root;
    }

    /**
     * The configuration a YAML tree describes, every absent field at its default.
     *
     * @throws IllegalArgumentException naming the field, if one is unknown, of the wrong type, out of range, or
     *     inconsistent with another
     */
    public static LoopConfig read(JsonNode document) {
        ConfigSection root = ConfigSection.root(document);
        String name = root.text("name", "prefpipe-loop");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw root.error("name", "must be letters, digits, '.', '_' or '-' (it names checkpoints and Kafka"
                    + " transactional ids), got '" + name + "'");
        }
        Path dir = root.path("dir", Path.of("prefpipe-out", "loop"));
        long seed = root.longInteger("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Kafka kafka = kafka(root.section("kafka"));
        Curation curation = curation(root.section("curation"), dir);
        ConfigSection scheduleSection = root.section("schedule");
        LoopSchedule schedule = schedule(scheduleSection);
        ConfigSection policy = root.section("policy");
        Path initialPolicy = policy.path("initial", null);
        if (initialPolicy == null) {
            throw policy.error("initial", "is required (the policy the first iteration starts from: a model folder"
                    + " or a prefpipe checkpoint)");
        }
        AlignmentLoop.Reference reference = policy.choice("reference", Map.of("initial",
                AlignmentLoop.Reference.INITIAL, "previous", AlignmentLoop.Reference.PREVIOUS),
                AlignmentLoop.Reference.INITIAL);
        ConfigSection optimizeSection = root.section("optimize");
        Optimize optimize = optimize(optimizeSection);
        ConfigSection rmSection = root.section("reward-model");
        RewardModel rewardModel = rewardModel(rmSection);
        Evaluate evaluate = evaluate(root.section("evaluate"));
        ConfigSection candidatesSection = root.section("candidates");
        Candidates candidates = candidates(candidatesSection);
        ConfigSection syntheticSection = root.has("synthetic") ? root.section("synthetic") : null;
        Synthetic synthetic = syntheticSection == null ? null : synthetic(syntheticSection);
        root.finish();

        boolean hasRewardModel = rewardModel.initial() != null || rewardModel.refresh();
        if (candidates.enabled() && !hasRewardModel) {
            throw candidatesSection.error("enabled", "needs a reward model to score the candidates: set"
                    + " reward-model.initial or reward-model.refresh: true (or candidates.enabled: false)");
        }
        if (optimize.loss().equals(NashMdLoss.NAME) && !hasRewardModel) {
            throw optimizeSection.error("loss", "nash-md needs a reward model as its judge: set reward-model.initial"
                    + " or reward-model.refresh: true");
        }
        if (schedule.candidateShare() > 0 && !candidates.enabled()) {
            throw scheduleSection.error("after-candidates", "needs candidates.enabled: true");
        }
        if (synthetic != null && synthetic.judgementsPerComparison() < curation.emitAfterVotes()) {
            throw syntheticSection.error("judgements-per-comparison", "(" + synthetic.judgementsPerComparison()
                    + ") must be >= curation.emit-after-votes (" + curation.emitAfterVotes() + "), or candidate"
                    + " comparisons wait for their window to close");
        }
        return new LoopConfig(name, dir, seed, kafka, curation, schedule, initialPolicy, reference, optimize,
                rewardModel, evaluate, candidates, synthetic);
    }

    private static Kafka kafka(ConfigSection s) {
        String bootstrap = s.text("bootstrap", System.getenv("PREFPIPE_BOOTSTRAP"));
        if (bootstrap == null || bootstrap.isBlank()) {
            throw s.error("bootstrap", "is required (HOST:PORT of the Kafka cluster; or set PREFPIPE_BOOTSTRAP)");
        }
        ConfigSection t = s.section("topics");
        Kafka kafka = new Kafka(bootstrap, t.text("feedback", "feedback"), t.text("feedback-json", "feedback.json"),
                t.text("dead-letters", "feedback.dlq"), t.text("pairs", "pairs"),
                t.text("annotators", "annotators"), t.text("checkpoints", "checkpoints"),
                t.text("candidates", "candidates"));
        if (new HashSet<>(kafka.topics()).size() != kafka.topics().size()) {
            throw s.error("topics", "must all differ, got " + kafka.topics());
        }
        return kafka;
    }

    private static Curation curation(ConfigSection s, Path dir) {
        boolean run = s.flag("run", true);
        Path jobDir = s.path("job-dir", run ? dir.resolve("curation").resolve("job") : null);
        if (jobDir == null) {
            throw s.error("job-dir", "is required when run is false (the folder a `prefpipe curate` job without"
                    + " --bounded writes into: its --out and --snapshot-id)");
        }
        Path checkpointDir = s.path("checkpoint-dir", dir.resolve("curation").resolve("checkpoints"));
        String aggregator = s.text("aggregator", "ds");
        if (!Aggregators.names().contains(aggregator)) {
            throw s.error("aggregator", "must be one of " + String.join(", ", Aggregators.names()) + ", got '"
                    + aggregator + "'");
        }
        Map<String, String> flinkSettings = s.textMap("flink");
        if (!run && !flinkSettings.isEmpty()) {
            throw s.error("flink", "configures the job the loop runs; with run: false the job is started elsewhere"
                    + " (pass them to `prefpipe curate -D` there)");
        }
        Map<String, StartingOffsets> offsets = new LinkedHashMap<>();
        for (StartingOffsets o : StartingOffsets.values()) {
            offsets.put(o.name().toLowerCase(Locale.ROOT), o);
        }
        return new Curation(run, jobDir, checkpointDir, s.text("group-id", "prefpipe-curate"),
                s.choice("starting-offsets", offsets, StartingOffsets.EARLIEST), aggregator,
                s.integer("emit-after-votes", 3, 1, Integer.MAX_VALUE),
                s.duration("comparison-window", Duration.ofHours(1)),
                s.duration("checkpoint-interval", Duration.ofSeconds(10)),
                s.integer("parallelism", 1, 1, 128), flinkSettings);
    }

    private static LoopSchedule schedule(ConfigSection s) {
        long everyPairs = s.longInteger("every-pairs", 1_000, 1, Long.MAX_VALUE);
        Duration every = s.duration("every", Duration.ofMinutes(30));
        long minPairs = s.longInteger("min-pairs", 100, 1, Long.MAX_VALUE);
        if (minPairs > everyPairs) {
            throw s.error("min-pairs", "(" + minPairs + ") must not exceed every-pairs (" + everyPairs + ")");
        }
        return new LoopSchedule(everyPairs, every, minPairs, s.number("after-candidates", 0, 0, false, 1),
                s.duration("poll", Duration.ofSeconds(5)));
    }

    private static Optimize optimize(ConfigSection s) {
        List<String> losses = new ArrayList<>(PreferenceLosses.NAMES);
        losses.add(LipoLambdaLoss.NAME);
        losses.add(NashMdLoss.NAME);
        String loss = s.text("loss", "dpo").toLowerCase(Locale.ROOT);
        if (!losses.contains(loss)) {
            throw s.error("loss", "must be one of " + String.join(", ", losses) + ", got '" + loss + "'");
        }
        Double epsilon = s.optionalNumber("epsilon", 0, false, 0.5);
        Double alpha = s.optionalNumber("alpha", 0, false, Double.MAX_VALUE);
        if (epsilon != null && !(loss.equals("cdpo") || loss.equals("rdpo"))) {
            throw s.error("epsilon", "applies to cdpo and rdpo only, not " + loss);
        }
        if (alpha != null && !loss.equals("rpo")) {
            throw s.error("alpha", "applies to rpo only, not " + loss);
        }
        int[] length = length(s, 300);
        return new Optimize(loss, s.number("beta", 0.1, 0, true, Double.MAX_VALUE), epsilon, alpha, length[0],
                length[1], s.integer("batch-size", 16, 1, Integer.MAX_VALUE),
                s.number("learning-rate", 1e-4, 0, true, 1), s.number("held-out", 0.1, 0, true, 0.5),
                s.number("mixture", 0.5, 0, false, 1), s.integer("max-list-size", 8, 2, Integer.MAX_VALUE));
    }

    private static RewardModel rewardModel(ConfigSection s) {
        int[] length = length(s, 200);
        return new RewardModel(s.path("initial", null), s.flag("refresh", true), length[0], length[1],
                s.integer("batch-size", 16, 1, Integer.MAX_VALUE), s.number("learning-rate", 1e-4, 0, true, 1));
    }

    /** {steps, epochs}: one of them, the other 0; {@code defaultSteps} when neither is given. */
    private static int[] length(ConfigSection s, int defaultSteps) {
        boolean steps = s.has("steps");
        boolean epochs = s.has("epochs");
        if (steps && epochs) {
            throw s.error("epochs", "give steps or epochs, not both");
        }
        return epochs ? new int[] {0, s.integer("epochs", 1, 1, Integer.MAX_VALUE)}
                : new int[] {s.integer("steps", defaultSteps, 1, Integer.MAX_VALUE), 0};
    }

    private static Evaluate evaluate(ConfigSection s) {
        return new Evaluate(s.integer("kl-samples", 128, 1, Integer.MAX_VALUE),
                s.integer("max-new-tokens", 48, 1, Integer.MAX_VALUE));
    }

    private static Candidates candidates(ConfigSection s) {
        Map<String, Pairing> pairings = new LinkedHashMap<>();
        for (Pairing p : Pairing.values()) {
            pairings.put(p.code(), p);
        }
        int k = s.integer("samples-per-prompt", 8, 2, Integer.MAX_VALUE);
        int accept = s.integer("accept", 4, 2, Integer.MAX_VALUE);
        if (accept > k) {
            throw s.error("accept", "(" + accept + ") must not exceed samples-per-prompt (" + k + ")");
        }
        return new Candidates(s.flag("enabled", true), s.integer("prompts", 256, 1, Integer.MAX_VALUE), k, accept,
                s.number("rso-beta", 0.5, 0, true, Double.MAX_VALUE),
                s.choice("pairing", pairings, Pairing.TOURNAMENT), s.number("temperature", 1.0, 0, true, 10),
                s.integer("max-new-tokens", 48, 1, Integer.MAX_VALUE));
    }

    private static Synthetic synthetic(ConfigSection s) {
        int annotators = s.integer("annotators", 20, 1, Integer.MAX_VALUE);
        int judgements = s.integer("judgements-per-comparison", 3, 1, Integer.MAX_VALUE);
        if (judgements > annotators) {
            throw s.error("judgements-per-comparison", "(" + judgements + ") must not exceed annotators ("
                    + annotators + "): no annotator judges a comparison twice");
        }
        return new Synthetic(annotators, judgements, s.integer("eval-samples-per-prompt", 8, 1, Integer.MAX_VALUE),
                s.number("eval-temperature", 0.7, 0, true, 10));
    }
}
