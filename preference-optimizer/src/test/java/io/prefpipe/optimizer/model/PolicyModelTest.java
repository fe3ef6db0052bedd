package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyModelTest {
    private static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(24).setLayers(2).setHeads(2).setWidth(16).build();

    private static PolicyModel policy;

    @TempDir Path dir;

    @BeforeAll
    static void createPolicy() {
        policy = PolicyModel.create(TINY, 7);
    }

    @AfterAll
    static void closePolicy() {
        policy.close();
    }

    @Test
    void tokenLogProbs_headOnResponseTokensOnly_sameValuesAndGradientsAsTheFullHead() {
        PolicyModel tanh = PolicyModel.create(TINY.toBuilder().setGelu(GeluVariant.TANH).build(), 11);
        List<PromptResponse> pairs = List.of(new PromptResponse("a prompt", "an answer"),
                new PromptResponse("another, longer prompt", "ok"), new PromptResponse("", "only a response"));
        try (tanh; Trainer trainer = tanh.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
            float[][] scoredOnly = valuesAndGradients(trainer, pairs,
                    (manager, arrays) -> tanh.tokenLogProbs(trainer, arrays));
            float[][] fullHead = valuesAndGradients(trainer, pairs, (manager, arrays) -> trainer
                    .forward(new NDList(arrays.get(0))).singletonOrThrow().logSoftmax(2)
                    .gather(arrays.get(1).expandDims(2), 2).squeeze(2).mul(arrays.get(2)));
            for (int i = 0; i < fullHead.length; i++) {
                assertThat(scoredOnly[i]).as("array %d", i).containsExactly(fullHead[i], within(1e-5f));
            }
        }
    }

    /** The per-token log-probabilities, then every parameter's gradient of a weighted sum of them. */
    private static float[][] valuesAndGradients(Trainer trainer, List<PromptResponse> pairs,
            BiFunction<NDManager, NDList, NDArray> tokenLogProbs) {
        List<float[]> arrays = new ArrayList<>();
        try (NDManager manager = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logProbs = tokenLogProbs.apply(manager, policy.encode(pairs).toArrays(manager));
            arrays.add(logProbs.toFloatArray());
            collector.backward(logProbs.sum(new int[] {1}).mul(manager.create(new float[] {1, -2, 0.5f})).sum());
        }
        for (Parameter parameter : trainer.getModel().getBlock().getParameters().values()) {
            NDArray gradient = parameter.getArray().getGradient();
            arrays.add(gradient.toFloatArray());
            gradient.subi(gradient);
        }
        return arrays.toArray(float[][]::new);
    }

    @Test
    void logits_laterTokenChanged_earlierPositionsUnchanged() {
        int[] tokens = {ByteTokenizer.BOS, 'h', 'e', 'l', 'l', 'o', ByteTokenizer.EOS};
        int[] changed = tokens.clone();
        changed[4] = 'x';
        float[][] before = policy.logits(tokens);
        float[][] after = policy.logits(changed);
        for (int t = 0; t < 4; t++) {
            assertThat(after[t]).as("position %d", t).containsExactly(before[t], within(1e-6f));
        }
        assertThat(after[4]).isNotEqualTo(before[4]);
    }

    @Test
    void logits_paddingAfterSequence_doesNotChangeIt() {
        int[] tokens = {ByteTokenizer.BOS, 'a', 'b', 'c'};
        int[] padded = {ByteTokenizer.BOS, 'a', 'b', 'c', ByteTokenizer.PAD, 'z', 'z', ByteTokenizer.PAD};
        float[][] plain = policy.logits(tokens);
        float[][] withPadding = policy.logits(padded);
        for (int t = 0; t < tokens.length; t++) {
            assertThat(withPadding[t]).containsExactly(plain[t], within(1e-6f));
        }
    }

    @Test
    void logProbs_batchedWithLongerSequence_unchanged() {
        PromptResponse shortPair = new PromptResponse("a", "yes");
        PromptResponse longPair = new PromptResponse("a much longer prompt", "and a longer answer");
        double alone = policy.logProbs(List.of(shortPair)).get(0).logProb();
        List<SequenceLogProb> batched = policy.logProbs(List.of(longPair, shortPair));
        assertThat(batched.get(1).logProb()).isCloseTo(alone, within(1e-5));
        assertThat(batched.get(1).tokens()).isEqualTo(4);
    }

    @Test
    void logProbs_equalManualSumOverResponseTokens() {
        PromptResponse pair = new PromptResponse("ab", "cde");
        TokenBatch batch = policy.encode(List.of(pair));
        int[] row = batch.row(0);
        assertThat(row).containsExactly(ByteTokenizer.BOS, 'a', 'b', 'c', 'd', 'e', ByteTokenizer.EOS);
        float[][] logits = policy.logits(row);
        double manual = 0;
        for (int t = batch.responseStart(0); t < row.length; t++) {
            manual += logSoftmax(logits[t - 1])[row[t]];
        }
        SequenceLogProb result = policy.logProbs(List.of(pair)).get(0);
        assertThat(result.tokens()).isEqualTo(4);
        assertThat(result.logProb()).isCloseTo(manual, within(1e-4)).isNegative();
    }

    @Test
    void logProbs_promptChanged_scoresOnlyTheResponse() {
        // near-uniform at initialization, so four response tokens score about 4·log(1/259) whatever the prompt length
        double shortPrompt = policy.logProbs(List.of(new PromptResponse("", "abc"))).get(0).logProb();
        double longPrompt = policy.logProbs(List.of(new PromptResponse("0123456789", "abc"))).get(0).logProb();
        assertThat(shortPrompt).isCloseTo(4 * Math.log(1.0 / 259), within(0.5));
        assertThat(longPrompt).isCloseTo(4 * Math.log(1.0 / 259), within(0.5));
    }

    @Test
    void encode_tooLong_cutsPromptFromTheLeftThenResponseFromTheRight() {
        String longPrompt = "0123456789".repeat(3);
        TokenBatch batch = policy.encode(List.of(
                new PromptResponse(longPrompt, "abc"), new PromptResponse("p", "x".repeat(40))));
        int[] first = batch.row(0);
        assertThat(first).hasSize(24);
        assertThat(first[0]).isEqualTo(ByteTokenizer.BOS);
        // BOS + 19 prompt bytes (the end of the prompt) + abc + EOS
        assertThat(new ByteTokenizer().decode(first)).isEqualTo(longPrompt.substring(11) + "abc");
        assertThat(batch.responseTokens(0)).isEqualTo(4);
        int[] second = batch.row(1);
        assertThat(second).hasSize(24).doesNotContain(ByteTokenizer.EOS, 'p');
        assertThat(batch.responseTokens(1)).isEqualTo(23);
    }

    @Test
    void create_sameSeed_sameParameters() {
        int[] tokens = {ByteTokenizer.BOS, 'q'};
        try (PolicyModel same = PolicyModel.create(TINY, 7); PolicyModel other = PolicyModel.create(TINY, 8)) {
            assertThat(same.logits(tokens)[1]).containsExactly(policy.logits(tokens)[1]);
            assertThat(other.logits(tokens)[1]).isNotEqualTo(policy.logits(tokens)[1]);
        }
    }

    @Test
    void saveLoad_roundTrip_givesIdenticalLogProbs() throws Exception {
        List<PromptResponse> pairs = List.of(new PromptResponse("hi", "there"), new PromptResponse("x", "y"));
        policy.save(dir);
        policy.save(dir); // saving twice into the same folder replaces, never adds a second parameter file
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "config.json", "policy-0000.params");
        }
        try (PolicyModel loaded = PolicyModel.load(dir)) {
            assertThat(loaded.config()).isEqualTo(TINY);
            assertThat(loaded.logProbs(pairs)).isEqualTo(policy.logProbs(pairs));
        }
    }

    @Test
    void load_configMismatch_isRefused() throws Exception {
        policy.save(dir);
        TINY.toBuilder().setMlpWidth(32).build().write(dir);
        assertThatThrownBy(() -> PolicyModel.load(dir)).hasMessageContaining("mlpWidth");
    }

    @Test
    void load_emptyFolder_namesTheMissingConfig() {
        assertThatThrownBy(() -> PolicyModel.load(dir)).hasMessageContaining("PolicyConfig")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void frozenCopy_scoresLikeTheOriginal_andCannotBeTrained() {
        List<PromptResponse> pairs = List.of(new PromptResponse("hi", "there"));
        try (PolicyModel frozen = policy.frozenCopy()) {
            assertThat(frozen.isFrozen()).isTrue();
            assertThat(frozen.logProbs(pairs)).isEqualTo(policy.logProbs(pairs));
            assertThatThrownBy(() -> frozen.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("frozen");
        }
    }

    @Test
    void sample_sameSeed_sameResponses() {
        List<String> prompts = List.of("a", "longer prompt", "");
        List<String> first = policy.sample(prompts, 8, 1.0, 3);
        assertThat(policy.sample(prompts, 8, 1.0, 3)).isEqualTo(first);
        // each sampled byte decodes to at most one char (U+FFFD when it is not valid UTF-8)
        assertThat(first).hasSize(3).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(8));
        assertThat(policy.sample(prompts, 8, 1.0, 4)).isNotEqualTo(first);
    }

    @Test
    void sample_greedy_isIndependentOfSeedAndBatch() {
        List<String> alone = policy.sample(List.of("abc"), 5, 0, 1);
        List<String> batched = policy.sample(List.of("a much longer prompt here", "abc"), 5, 0, 2);
        assertThat(batched.get(1)).isEqualTo(alone.get(0));
    }

    @Test
    void create_vocabularySmallerThanTheBytes_isRefused() {
        PolicyConfig small = TINY.toBuilder().setVocabSize(100).build();
        assertThatThrownBy(() -> PolicyModel.create(small, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabSize").hasMessageContaining("259");
    }

    @Test
    void create_runsOnTheEnginesDefaultDevice() {
        assertThat(policy.device()).isEqualTo(ai.djl.engine.Engine.getInstance().defaultDevice());
        assertThat(policy.tokenizer()).isInstanceOf(ByteTokenizer.class);
        assertThat(policy.format()).isEqualTo(SequenceFormat.byteLevel());
    }

    @Test
    void encodeIds_framesLikeEncode() {
        ByteTokenizer bytes = new ByteTokenizer();
        TokenBatch fromText = policy.encode(List.of(new PromptResponse("ab", "cde")));
        TokenBatch fromIds = policy.encodeIds(List.of(bytes.encode("ab")), List.of(bytes.encode("cde")));
        assertThat(fromIds.row(0)).containsExactly(fromText.row(0));
        assertThat(fromIds.responseStart(0)).isEqualTo(fromText.responseStart(0));
        assertThatThrownBy(() -> policy.encodeIds(List.of(new int[] {1}), List.of(new int[] {300})))
                .hasMessageContaining("pair 0").hasMessageContaining("300");
    }

    @Test
    void sample_invalidArguments_areRefused() {
        assertThatThrownBy(() -> policy.sample(List.of("a"), 0, 1, 1)).hasMessageContaining("maxNewTokens");
        assertThatThrownBy(() -> policy.sample(List.of("a"), 1, -1, 1)).hasMessageContaining("temperature");
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }
}
