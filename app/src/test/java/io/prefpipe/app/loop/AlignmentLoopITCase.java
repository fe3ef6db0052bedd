package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefpipe.app.candidates.AnnotationRequests;
import io.prefpipe.app.kafka.CommittedRecords;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.SnapshotReader;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import io.prefpipe.schema.AnnotationRequest;
import io.prefpipe.schema.CheckpointEvent;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.schema.Response;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alignment loop on real components: an embedded KRaft broker, the unbounded curation job on a MiniCluster, a tiny
 * policy and reward model trained by the real steps, simulated annotators judging the published candidates. Three
 * iterations, with crashes mid-optimize, after publishing candidates and after publishing a checkpoint (each before
 * the journal records the step), and a restart of the whole process (the curation job resumed from its retained
 * checkpoint) before the last iteration.
 */
class AlignmentLoopITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final PolicyConfig TINY = PolicyConfig.builder().setContextLength(96).setLayers(1).setHeads(2)
            .setWidth(32).build();
    private static final int OPTIMIZE_STEPS = 8;
    /**
     * Of the backlog's 120 comparisons, those decided before the loop starts: all but the few of its last minutes of
     * event time that have fewer than 3 votes, whose window closes only when later events (the candidates') arrive.
     */
    private static final long BACKLOG_PAIRS_AT_LEAST = 100;

    @TempDir
    Path tmp;

    /** What the loop prints, kept for assertions and copied to the test's output for diagnosis. */
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
            output.write(b);
            System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            output.write(b, off, len);
            System.out.write(b, off, len);
        }
    }, true, StandardCharsets.UTF_8);

    @Test
    void run_threeIterationsThroughCrashesAndARestart_snapshotsDisjointOneEventEachCandidatesComeBack()
            throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        JsonNode document = LoopConfig.parse("""
                name: it-%1$s
                dir: %2$s
                seed: 3
                kafka:
                  bootstrap: %3$s
                  topics: {feedback: fb-%1$s, feedback-json: fbj-%1$s, dead-letters: dlq-%1$s, pairs: pairs-%1$s,
                           annotators: ann-%1$s, checkpoints: ckpt-%1$s, candidates: cand-%1$s}
                curation: {group-id: it-%1$s, emit-after-votes: 3, comparison-window: 5m, checkpoint-interval: 500ms}
                schedule: {every-pairs: 100000, every: 10m, min-pairs: 1, after-candidates: 0.8, poll: 200ms}
                policy: {initial: %4$s, reference: previous}
                optimize: {loss: dpo, beta: 0.5, steps: %5$d, batch-size: 8, learning-rate: 1.0e-3}
                reward-model: {refresh: true, steps: 6, batch-size: 8, learning-rate: 1.0e-3}
                evaluate: {kl-samples: 8, max-new-tokens: 12}
                candidates: {prompts: 12, samples-per-prompt: 4, accept: 2, pairing: first-round, max-new-tokens: 12}
                synthetic: {annotators: 8, judgements-per-comparison: 3, eval-samples-per-prompt: 1}
                """.formatted(s, tmp.resolve("loop"), KAFKA.bootstrapServers(), tmp.resolve("initial"),
                OPTIMIZE_STEPS));
        LoopConfig config = LoopConfig.read(document);
        Topics.ensure(KAFKA.bootstrapServers(), config.kafka().topics(), 1, (short) 1);
        SyntheticWorld world = new SyntheticWorld();
        warmUp(produceBacklog(config, world), config.initialPolicy());
        Path jobDir = config.curation().jobDir();
        CheckpointPublisher checkpoints = new CheckpointPublisher(config.kafka().bootstrap(),
                config.kafka().checkpoints());
        String id1 = AlignmentSteps.id(config, 1);
        String id2 = AlignmentSteps.id(config, 2);

        // the first process: three crashes, each resumed by a new loop in the same process
        try (LiveCuration curation = LiveCuration.start(config, CurationProgressListener.NONE, console);
                SimulatedWorld.Annotators annotators = new SyntheticSimulation(world, config.synthetic(),
                        config.seed()).startAnnotators(config)) {
            // with ds, a cut taken when the backlog is merely read held a handful of pairs, or one, which optimize
            // refuses to split: comparisons complete before the job's first annotator model wait for it
            curation.awaitCurated(config.kafka().bootstrap(), List.of(config.kafka().feedback()),
                    config.curation().aggregator(), Duration.ofMinutes(3));
            assertThat(curation.pendingPairs()).isGreaterThanOrEqualTo(BACKLOG_PAIRS_AT_LEAST);
            SyntheticSimulation simulation = new SyntheticSimulation(world, config.synthetic(), config.seed());

            boolean[] crashed = {false};
            TrainingListener crashMidOptimize = p -> {
                if (!crashed[0] && p.totalSteps() == OPTIMIZE_STEPS && p.step() == OPTIMIZE_STEPS / 2) {
                    crashed[0] = true;
                    throw new IllegalStateException("simulated crash mid-optimize");
                }
            };
            assertThatThrownBy(() -> loop(config, steps(config, curation, simulation, crashMidOptimize)).run(3))
                    .hasMessageContaining("simulated crash mid-optimize");
            IterationRecord crashedInOptimize = LoopJournal.open(config.dir()).latest().orElseThrow();
            assertThat(crashedInOptimize.iteration()).isEqualTo(1);
            assertThat(crashedInOptimize.completed()).containsExactly(LoopStep.CUT_SNAPSHOT,
                    LoopStep.REFRESH_REWARD_MODEL);
            assertThat(crashedInOptimize.snapshotId()).isEqualTo(id1);

            CrashingSteps crashing = new CrashingSteps(steps(config, curation, simulation, TrainingListener.NONE));
            assertThatThrownBy(() -> loop(config, crashing).run(3)).hasMessageContaining("after generating 1");
            IterationRecord afterGenerate = LoopJournal.open(config.dir()).latest().orElseThrow();
            assertThat(afterGenerate.completed()).doesNotContain(LoopStep.GENERATE_CANDIDATES);
            long firstCandidates = requestsOf(config, id1);
            assertThat(firstCandidates).isPositive();

            assertThatThrownBy(() -> loop(config, crashing).run(3)).hasMessageContaining("after publishing 2");
            IterationRecord afterPublish = LoopJournal.open(config.dir()).latest().orElseThrow();
            assertThat(afterPublish.iteration()).isEqualTo(2);
            assertThat(afterPublish.completed()).doesNotContain(LoopStep.PUBLISH_CHECKPOINT)
                    .contains(LoopStep.EVALUATE);
            assertThat(checkpoints.count(id2)).as("published before the crash").isEqualTo(1);
            assertThat(requestsOf(config, id1)).as("no second publication on the retry").isEqualTo(firstCandidates);
        }

        // the first process ran the loop without recording its settings (as a loop folder from before that record):
        // recorded as they were; the second process comes with one changed, refused unless accepted
        String fingerprint = LoopConfigRecord.reconcile(config.dir(), config, false, Clock.systemUTC(), console)
                .fingerprint();
        LoopConfig changed = LoopConfig.read(LoopConfig.with(document, "evaluate.kl-samples", 4));
        SyntheticSimulation simulation = new SyntheticSimulation(world, config.synthetic(), config.seed());
        assertThatThrownBy(() -> LoopRunner.start(changed, simulation, console, CurationProgressListener.NONE,
                TrainingListener.NONE, false)).isInstanceOf(LoopRefusedException.class)
                .hasMessageContaining("evaluate.kl-samples: 8 -> 4");

        // a second process: the curation job resumes from its retained checkpoint, the loop from its journal
        List<IterationRecord> done;
        Optional<SnapshotManifest> rest;
        try (LoopRunner runner = LoopRunner.start(changed, simulation, console, CurationProgressListener.NONE,
                TrainingListener.NONE, true)) {
            // a second run of the same loop is refused at once, before it touches Kafka or the curation job
            assertThatThrownBy(() -> LoopRunner.start(changed, simulation, console, CurationProgressListener.NONE,
                    TrainingListener.NONE, true)).isInstanceOf(LoopRefusedException.class)
                    .hasMessageContaining("is in use by pid " + ProcessHandle.current().pid());
            assertThat(LiveCuration.owner(jobDir)).contains(new LiveCuration.Owner(config.name(), config.dir()));
            done = runner.run(3);
            // once the last candidates are judged and curated, what is left to cut is what came after the last cut
            awaitNoNewFeedback(config);
            runner.awaitCurated(Duration.ofMinutes(1));
            rest = new SnapshotCutter(Clock.systemUTC(), Duration.ofMinutes(1)).cut(jobDir, "rest");
        }
        // counted once the job is cancelled, so that nothing it committed after the rest cut goes unseen
        long committed = SnapshotFiles.committedIn(jobDir).stream().mapToLong(SnapshotManifest.SnapshotFile::rows)
                .sum();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("curation: resuming the job from")
                .contains("curation: Kafka transactions of checkpoint").doesNotContain("were aborted");

        String id3 = AlignmentSteps.id(config, 3);
        assertThat(done).hasSize(3).allMatch(IterationRecord::isComplete);
        assertThat(done).extracting(IterationRecord::checkpointId).containsExactly(id1, id2, id3);
        assertThat(done).extracting(IterationRecord::parentCheckpointId).containsExactly(null, id1, id2);
        assertThat(done).extracting(IterationRecord::snapshotId).containsExactly(id1, id2, id3);
        assertThat(done.get(0).metrics()).containsKeys("loss", "held_out_reward_accuracy", "kl_to_reference",
                "rm_held_out_accuracy", SyntheticSimulation.WIN_RATE, SyntheticSimulation.LABEL_ACCURACY);

        // one event per iteration, with its lineage
        List<CheckpointEvent> events = read(config.kafka().checkpoints(), CheckpointEvent.class);
        assertThat(events).extracting(CheckpointEvent::getCheckpointId).containsExactly(id1, id2, id3);
        assertThat(events).extracting(CheckpointEvent::getParentCheckpointId).containsExactly(null, id1, id2);
        assertThat(events).extracting(CheckpointEvent::getSnapshotId).containsExactly(id1, id2, id3);
        for (CheckpointEvent e : events) {
            assertThat(Path.of(e.getSnapshotManifest())).isRegularFile();
            assertThat(Path.of(e.getPath()).resolve("manifest.json")).isRegularFile();
            assertThat(e.getMetrics()).containsKeys("loss", SyntheticSimulation.WIN_RATE);
        }
        // the lineage shows the accepted change from the first checkpoint made after it on
        String change = "iteration 2 (from publish_checkpoint): evaluate.kl-samples 8 -> 4";
        assertThat(events.subList(0, 2)).allSatisfy(e -> assertThat(e.getConfig())
                .containsEntry("config_fingerprint", fingerprint).doesNotContainKey("config_changes"));
        assertThat(events.get(2).getConfig()).containsEntry("config_changes", change).containsEntry(
                "config_fingerprint", LoopConfigRecord.fingerprint(LoopConfigRecord.values(changed)));
        assertThat(CheckpointManifest.read(Path.of(done.get(2).checkpointDir())).properties())
                .containsEntry("loop.config.changes", change);

        // the loop's snapshots are exactly the job's cuts, none skipped or repeated, contiguous in offsets
        List<SnapshotManifest> cuts = SnapshotCutter.cuts(jobDir);
        assertThat(cuts).extracting(SnapshotManifest::snapshotId)
                .containsExactlyElementsOf(rest.isPresent() ? List.of(id1, id2, id3, "rest") : List.of(id1, id2, id3));
        for (int i = 1; i < cuts.size(); i++) {
            assertThat(cuts.get(i).sources()).extracting(OffsetRange::startOffset).containsExactlyElementsOf(
                    cuts.get(i - 1).sources().stream().map(OffsetRange::endOffset).toList());
        }
        // disjoint, and together with what was curated after the last cut, every committed pair
        List<List<PreferenceExample>> snapshots = new ArrayList<>();
        for (IterationRecord r : done) {
            snapshots.add(new SnapshotReader().read(Path.of(r.snapshotDir())).examples());
            assertThat(snapshots.get(snapshots.size() - 1)).hasSize((int) r.newPairs());
        }
        List<String> pairIds = new ArrayList<>();
        snapshots.forEach(examples -> examples.forEach(e -> pairIds.add(e.pairId())));
        if (rest.isPresent()) {
            new SnapshotReader().read(jobDir.resolve(SnapshotCutter.CUTS).resolve("rest")).examples()
                    .forEach(e -> pairIds.add(e.pairId()));
        }
        assertThat(pairIds).doesNotHaveDuplicates().hasSize((int) committed);

        // the pairs topic, read committed, holds the same pairs as the files, each once: the restored checkpoint's
        // transactions (which the resumed job's Kafka committer reports as fenced when they were committed before the
        // restart) were neither lost nor written again
        List<PreferencePair> onTopic = read(config.kafka().pairs(), PreferencePair.class);
        assertThat(onTopic).extracting(PreferencePair::getPairId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(pairIds);

        // each iteration's candidates, judged by the simulated annotators, come back through curation into the next
        Map<String, PreferencePair> curated = new HashMap<>();
        onTopic.forEach(p -> curated.put(p.getPairId(), p));
        assertThat(comparisonsOf(snapshots.get(0), curated)).allMatch(c -> c.startsWith("cmp-"));
        for (int i = 1; i < 3; i++) {
            String parent = done.get(i - 1).checkpointId();
            List<PreferencePair> fromCandidates = snapshots.get(i).stream().map(e -> curated.get(e.pairId()))
                    .filter(p -> p.getComparisonId().startsWith(parent + "-c")).toList();
            assertThat(fromCandidates).as("iteration %d's snapshot holds pairs of %s's candidates", i + 1, parent)
                    .isNotEmpty()
                    .allMatch(p -> parent.equals(p.getChosenPolicyVersion()) && p.getVoteCount() == 3);
        }
        List<AnnotationRequest> requests = new AnnotationRequests(config.kafka().bootstrap(),
                config.kafka().candidates(), "unused").readAll();
        assertThat(requests).extracting(AnnotationRequest::getComparisonId).doesNotHaveDuplicates();
        for (IterationRecord r : done) {
            assertThat(requests.stream().filter(q -> q.getCheckpointId().equals(r.checkpointId())).count())
                    .as("requests of %s", r.checkpointId()).isEqualTo(r.candidates()).isPositive();
            // where the retry after the crash looked for iteration 1's requests, kept before they were published
            assertThat(CandidateOffsets.file(config.dir(), r.iteration())).isRegularFile();
        }
    }

    /** Waits until the feedback topic has not grown for two seconds: the simulated annotators are done. */
    private static void awaitNoNewFeedback(LoopConfig config) throws InterruptedException {
        int before = -1;
        while (true) {
            int now = CommittedRecords.read(config.kafka().bootstrap(), config.kafka().feedback(),
                    Duration.ofMinutes(1)).size();
            if (now == before) {
                return;
            }
            before = now;
            Thread.sleep(2_000);
        }
    }

    private static AlignmentLoop loop(LoopConfig config, LoopSteps steps) {
        return new AlignmentLoop(new AlignmentLoop.Settings(config.dir(), config.initialPolicy(),
                config.rewardModel().initial(), config.rewardModel().refresh(), config.reference(),
                config.schedule()), steps, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()),
                AlignmentLoop.Listener.NONE);
    }

    private AlignmentSteps steps(LoopConfig config, LiveCuration curation, SimulatedWorld world,
            TrainingListener listener) {
        return AlignmentSteps.builder(config, curation).setWorld(world).setConsole(console)
                .setTrainingListener(listener).build();
    }

    /** Produces a small synthetic backlog; returns the responses its judgements show. */
    private static Set<PromptResponse> produceBacklog(LoopConfig config, SyntheticWorld world) {
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(config.seed())
                .setComparisons(120).setJudgements(360).setAnnotators(config.synthetic().annotators())
                .setStart(Instant.now().minus(Duration.ofDays(1))).setMeanInterval(Duration.ofSeconds(5))
                .build(), world);
        Set<PromptResponse> responses = new LinkedHashSet<>();
        try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(config.kafka().bootstrap()).setFeedbackTopic(config.kafka().feedback())
                .setDeadLetterTopic(config.kafka().deadLetters()).build())) {
            for (FeedbackEvent e : feedback) {
                producer.send(e);
                for (Response r : e.getResponses()) {
                    responses.add(new PromptResponse(e.getPrompt(), r.getText()));
                }
            }
            producer.flush();
        }
        return responses;
    }

    private static void warmUp(Set<PromptResponse> responses, Path dir) throws IOException {
        try (PolicyModel policy = PolicyModel.create(TINY, 3)) {
            new SftTrainer(TrainingConfig.builder().setSteps(150).setBatchSize(16).setLearningRate(3e-3).setSeed(3)
                    .build()).train(policy, List.copyOf(responses));
            policy.save(dir);
        }
    }

    private static long requestsOf(LoopConfig config, String checkpointId) {
        return new AnnotationRequests(config.kafka().bootstrap(), config.kafka().candidates(), "unused")
                .readAll().stream().filter(r -> r.getCheckpointId().equals(checkpointId)).count();
    }

    private static Set<String> comparisonsOf(List<PreferenceExample> examples, Map<String, PreferencePair> curated) {
        return examples.stream().map(e -> curated.get(e.pairId()).getComparisonId()).collect(Collectors.toSet());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type) {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> out = new ArrayList<>();
        CommittedRecords.read(KAFKA.bootstrapServers(), topic, Duration.ofMinutes(1)).forEach(r -> {
            try {
                out.add(codec.decode(r.value()));
            } catch (Exception e) {
                throw new AssertionError("undecodable record on " + topic, e);
            }
        });
        return out;
    }

    /**
     * The real steps, crashing once right after iteration 1 published its candidates and once right after iteration
     * 2 published its checkpoint: the step's work is done, but the journal never hears of it.
     */
    private static final class CrashingSteps implements LoopSteps {
        private final LoopSteps real;
        private boolean crashedAfterGenerate;
        private boolean crashedAfterPublish;

        CrashingSteps(LoopSteps real) {
            this.real = real;
        }

        @Override
        public long pendingPairs() throws IOException {
            return real.pendingPairs();
        }

        @Override
        public Snapshot cutSnapshot(int iteration, String previousSnapshotId, Path dir) throws IOException {
            return real.cutSnapshot(iteration, previousSnapshotId, dir);
        }

        @Override
        public void refreshRewardModel(int iteration, Snapshot snapshot, Path previous, Path out) throws IOException {
            real.refreshRewardModel(iteration, snapshot, previous, out);
        }

        @Override
        public Checkpoint optimize(int iteration, Snapshot snapshot, Path parent, Path reference, Path rewardModel,
                Path out) throws IOException {
            return real.optimize(iteration, snapshot, parent, reference, rewardModel, out);
        }

        @Override
        public Map<String, Double> evaluate(int iteration, Snapshot snapshot, Path checkpoint, Path reference,
                Path rewardModel) throws IOException {
            return real.evaluate(iteration, snapshot, checkpoint, reference, rewardModel);
        }

        @Override
        public void publishCheckpoint(IterationRecord record) throws IOException {
            real.publishCheckpoint(record);
            if (record.iteration() == 2 && !crashedAfterPublish) {
                crashedAfterPublish = true;
                throw new IOException("simulated crash after publishing 2");
            }
        }

        @Override
        public long generateCandidates(IterationRecord record, Snapshot snapshot, Path checkpoint, Path rewardModel)
                throws IOException {
            long published = real.generateCandidates(record, snapshot, checkpoint, rewardModel);
            if (record.iteration() == 1 && !crashedAfterGenerate) {
                crashedAfterGenerate = true;
                throw new IOException("simulated crash after generating 1");
            }
            return published;
        }
    }
}
