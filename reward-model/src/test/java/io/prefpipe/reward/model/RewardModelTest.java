package io.prefpipe.reward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceFormat;
import io.prefpipe.optimizer.model.TokenBatch;
import io.prefpipe.optimizer.model.tokenizer.HfTokenizer;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelTest {
    static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2).setWidth(16).build();

    static final PromptResponse SHORT = new PromptResponse("hi", "ok");
    static final List<PromptResponse> PROBE = List.of(SHORT, new PromptResponse("how do i bake bread", "oven salt"),
            new PromptResponse("", "x"), new PromptResponse("pack bags tips", "passport ticket early"));

    @Test
    void score_rightPaddedRow_scoresAsTheUnpaddedRowAlone() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            double alone = model.score(List.of(SHORT))[0];
            // SHORT is 1 + 2 + 2 + 1 = 6 tokens; batched with a 28-token row it gets 22 PAD tokens after its EOS
            double[] batched = model.score(List.of(SHORT, new PromptResponse("a long prompt here", "and a reply")));
            assertThat(batched[0]).isCloseTo(alone, within(1e-5));
            // reading any other position would not be sensitive to the last token
            assertThat(model.score(List.of(new PromptResponse("hi", "ok!")))[0]).isNotCloseTo(alone, within(1e-3));
            assertThat(batched[1]).isNotCloseTo(alone, within(1e-3));
        }
    }

    @Test
    void score_manyPairs_inInputOrderAcrossInferenceBatches() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            List<PromptResponse> pairs = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                pairs.add(new PromptResponse("prompt " + i, "response " + (i * 7 % 13)));
            }
            double[] all = model.score(pairs);
            assertThat(all).hasSize(70);
            // pair 69 sits in the third batch of 32; scored alone it must give the same reward
            assertThat(model.score(List.of(pairs.get(69)))[0]).isCloseTo(all[69], within(1e-5));
            assertThat(model.score(pairs.get(40).prompt(), pairs.get(40).response())).isCloseTo(all[40], within(1e-5));
            assertThat(model.score(List.of())).isEmpty();
        }
    }

    @Test
    void score_longerThanTheContext_isTruncatedLikeThePolicy() {
        try (RewardModel model = RewardModel.create(TINY, 1)) {
            String longResponse = "word ".repeat(40);
            double score = model.score("prompt", longResponse);
            assertThat(score).isFinite();
            // the prompt is cut first, then the response to its first 31 bytes (BOS + 31 = 32): more text changes
            // nothing
            assertThat(model.score("prompt", longResponse + "more")).isEqualTo(score);
            assertThat(model.encode(List.of(new PromptResponse("prompt", longResponse))).maxLength()).isEqualTo(32);
        }
    }

    @Test
    void create_sameSeed_sameScores_otherSeed_otherScores() {
        try (RewardModel a = RewardModel.create(TINY, 5); RewardModel b = RewardModel.create(TINY, 5);
                RewardModel c = RewardModel.create(TINY, 6)) {
            assertThat(b.score(PROBE)).containsExactly(a.score(PROBE));
            assertThat(c.score(PROBE)).doesNotContain(a.score(PROBE)[0]);
            assertThat(a.info().initialization()).isEqualTo("random, seed 5");
            assertThat(a.info().training()).isEmpty();
        }
    }

    @Test
    void saveThenLoad_identicalScoresAndDescription(@TempDir Path dir) throws IOException {
        double[] before;
        RewardModelInfo info;
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            before = model.score(PROBE);
            info = model.info();
            model.save(dir);
            // saving twice into the same folder replaces the model
            model.save(dir);
        }
        assertThat(dir.resolve(RewardModelInfo.FILE_NAME)).isRegularFile();
        assertThat(dir.resolve("reward-0000.params")).isRegularFile();
        try (RewardModel loaded = RewardModel.load(dir)) {
            assertThat(loaded.score(PROBE)).containsExactly(before);
            assertThat(loaded.info()).isEqualTo(info);
            assertThat(loaded.config()).isEqualTo(TINY);
            // a loaded model saves again (what the alignment loop does when it refreshes a reward model)
            loaded.save(dir.resolve("again"));
        }
        try (RewardModel again = RewardModel.load(dir.resolve("again"))) {
            assertThat(again.score(PROBE)).containsExactly(before);
        }
    }

    @Test
    void load_folderWithoutRewardModel_failsNamingTheFile(@TempDir Path dir) throws IOException {
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            policy.save(dir);
        }
        assertThatThrownBy(() -> RewardModel.load(dir))
                .isInstanceOf(IOException.class).hasMessageContaining(RewardModelInfo.FILE_NAME);
    }

    @Test
    void fromPolicy_startsFromTheTrainedPolicysBackbone(@TempDir Path dir) throws IOException {
        double[] untrained;
        double[] inMemory;
        try (PolicyModel policy = PolicyModel.create(TINY, 1)) {
            try (RewardModel before = RewardModel.fromPolicy(policy, 9)) {
                untrained = before.score(PROBE);
            }
            new SftTrainer(TrainingConfig.builder().setSteps(5).setBatchSize(2).setLearningRate(1e-2).build())
                    .train(policy, List.of(new PromptResponse("a", "bb"), new PromptResponse("c", "dd")));
            try (RewardModel after = RewardModel.fromPolicy(policy, 9)) {
                inMemory = after.score(PROBE);
            }
            policy.save(dir.resolve("policy"));
            policy.save(dir.resolve("checkpoint").resolve("model"));
        }
        try (RewardModel fromFolder = RewardModel.fromPolicy(dir.resolve("policy"), 9);
                RewardModel fromCheckpoint = RewardModel.fromPolicy(dir.resolve("checkpoint"), 9)) {
            assertThat(fromFolder.score(PROBE)).containsExactly(inMemory);
            assertThat(fromCheckpoint.score(PROBE)).containsExactly(inMemory);
            // same head seed, so only the copied backbone can make these differ
            assertThat(inMemory).doesNotContain(untrained[0]);
            assertThat(fromCheckpoint.info().initialization())
                    .contains(dir.resolve("checkpoint").resolve("model").toString()).endsWith("head seed 9");
        }
    }

    /** The tiny random GPT-2 checkpoint in Hugging Face layout that the policy's parity tests use. */
    static final Path GPT2_TINY = Path.of("../preference-optimizer/src/test/resources/gpt2-tiny");

    @Test
    void fromPolicy_huggingFaceGpt2_tokenizesLikeThePolicyAndSavesItsTokenizer(@TempDir Path dir) throws IOException {
        List<PromptResponse> pairs = List.of(new PromptResponse("The capital of France is", " Paris."),
                new PromptResponse("Hello", " world, how are you?"));
        double[] before;
        try (PolicyModel policy = PolicyModel.load(GPT2_TINY); RewardModel model = RewardModel.fromPolicy(policy, 4)) {
            TokenBatch expected = policy.encode(pairs);
            TokenBatch actual = model.encode(pairs);
            for (int i = 0; i < pairs.size(); i++) {
                assertThat(actual.row(i)).containsExactly(expected.row(i));
            }
            // GPT-2 tokens, not bytes: " Paris." is not 7 tokens
            assertThat(actual.responseTokens(0)).isLessThan(" Paris.".length());
            assertThat(model.info().format()).isEqualTo(policy.format());
            before = model.score(pairs);
            // read at the last response token: another last token, another reward
            assertThat(model.score("The capital of France is", " Rome.")).isNotCloseTo(before[0], within(1e-4));
            model.save(dir);
        }
        assertThat(dir.resolve(HfTokenizer.FILE_NAME)).isRegularFile();
        try (RewardModel loaded = RewardModel.load(dir)) {
            assertThat(loaded.score(pairs)).containsExactly(before);
            assertThat(loaded.info().format().framing()).isEqualTo(SequenceFormat.Framing.CONCATENATED);
        }
        Files.delete(dir.resolve(HfTokenizer.FILE_NAME));
        assertThatThrownBy(() -> RewardModel.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(HfTokenizer.FILE_NAME);
    }

    @Test
    void load_descriptionWithoutFormat_isByteLevel(@TempDir Path dir) throws IOException {
        try (RewardModel model = RewardModel.create(TINY, 3)) {
            model.save(dir);
        }
        Path description = dir.resolve(RewardModelInfo.FILE_NAME);
        String json = Files.readString(description);
        assertThat(json).contains("\"format\"");
        Files.writeString(description, json.replaceFirst("(?s)\"format\"\\s*:\\s*\\{[^}]*\\},", ""));
        assertThat(Files.readString(description)).doesNotContain("\"format\"");
        try (RewardModel loaded = RewardModel.load(dir)) {
            assertThat(loaded.info().format()).isEqualTo(SequenceFormat.byteLevel());
        }
    }

    @Test
    void fromPolicy_noPolicyThere_failsWithIOException(@TempDir Path dir) {
        assertThatThrownBy(() -> RewardModel.fromPolicy(dir, 1)).isInstanceOf(IOException.class);
    }
}
