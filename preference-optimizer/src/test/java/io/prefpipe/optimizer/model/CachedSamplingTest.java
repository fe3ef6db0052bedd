package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.prefpipe.optimizer.model.sampling.Sample;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CachedSamplingTest {
    private static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(24).setLayers(2).setHeads(2).setWidth(16).build();
    private static final List<String> PROMPTS = List.of("hello", "a much longer prompt", "");
    private static final SamplingOptions GREEDY = SamplingOptions.builder().setTemperature(0).setMaxNewTokens(8)
            .build();

    private static PolicyModel policy;
    private static PolicyModel reference;

    @BeforeAll
    static void create() {
        policy = PolicyModel.create(TINY, 7);
        reference = PolicyModel.create(TINY, 8);
    }

    @AfterAll
    static void close() {
        policy.close();
        reference.close();
    }

    @Test
    void cachedLogits_equalRecomputedLogits_forLeftPaddedRows() {
        int[][] contexts = {{ByteTokenizer.BOS, 'a', 'b', 'c', 'd'}, {ByteTokenizer.BOS, 'x'}, {ByteTokenizer.BOS}};
        int[][] fed = {{'e', 'f'}, {'y', 'z'}, {'q', 'r'}};
        int vocab = TINY.vocabSize();
        try (NDManager manager = NDManager.newBaseManager(policy.device());
                CachedDecoder decoder = new CachedDecoder(policy.block(), manager, ByteTokenizer.PAD)) {
            float[] cached = decoder.start(contexts);
            for (int step = 0; step <= fed[0].length; step++) {
                for (int b = 0; b < contexts.length; b++) {
                    int[] prefix = Arrays.copyOf(contexts[b], contexts[b].length + step);
                    System.arraycopy(fed[b], 0, prefix, contexts[b].length, step);
                    float[][] uncached = policy.logits(prefix);
                    assertThat(Arrays.copyOfRange(cached, b * vocab, (b + 1) * vocab)).as("row %d step %d", b, step)
                            .containsExactly(uncached[prefix.length - 1], within(1e-4f));
                }
                if (step < fed[0].length) {
                    int column = step;
                    cached = decoder.step(Arrays.stream(fed).mapToInt(f -> f[column]).toArray());
                }
            }
        }
    }

    @Test
    void greedy_withCache_equalsGreedyRecomputingThePrefix() {
        List<Sample> samples = policy.sample(PROMPTS, GREEDY);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(samples.get(i).responseTokens()).as(PROMPTS.get(i))
                    .containsExactly(uncachedGreedy(List.of(policy), new double[] {1}, PROMPTS.get(i), 8));
        }
        assertThat(samples).extracting(Sample::text)
                .isEqualTo(policy.sample(PROMPTS, 8, 0, 99));
    }

    @Test
    void topKOne_andTinyTopP_equalGreedy() {
        List<Sample> greedy = policy.sample(PROMPTS, GREEDY);
        SamplingOptions hot = GREEDY.toBuilder().setTemperature(1.5).setSeed(5).build();
        assertThat(policy.sample(PROMPTS, hot.toBuilder().setTopK(1).build())).isEqualTo(greedy);
        assertThat(policy.sample(PROMPTS, hot.toBuilder().setTopP(1e-6).build())).isEqualTo(greedy);
        assertThat(policy.sample(PROMPTS, hot)).isNotEqualTo(greedy);
    }

    @Test
    void sameSeed_sameSamples_otherSeed_otherSamples() {
        SamplingOptions options = SamplingOptions.builder().setMaxNewTokens(8).setTopK(50).setTopP(0.9).setSeed(3)
                .build();
        List<Sample> first = policy.sample(PROMPTS, options);
        assertThat(policy.sample(PROMPTS, options)).isEqualTo(first);
        assertThat(policy.sample(PROMPTS, options.toBuilder().setSeed(4).build())).isNotEqualTo(first);
        // byte ids and EOS only: BOS and PAD are never drawn
        assertThat(first).allSatisfy(s -> assertThat(s.responseTokens())
                .doesNotContain(ByteTokenizer.BOS, ByteTokenizer.PAD, ByteTokenizer.EOS));
    }

    @Test
    void sample_eachRow_isIndependentOfTheOthers() {
        SamplingOptions options = SamplingOptions.builder().setMaxNewTokens(8).setSeed(11).build();
        List<Sample> batch = policy.sample(PROMPTS, options);
        // row i draws from the i-th generator split off the seed, whatever else is in the batch
        assertThat(policy.sample(PROMPTS.subList(0, 1), options).get(0)).isEqualTo(batch.get(0));
    }

    @Test
    void mixture_atTheEnds_equalsEachPolicyAlone() {
        SamplingOptions options = SamplingOptions.builder().setMaxNewTokens(8).setSeed(21).build();
        assertThat(policy.sampleMixture(reference, 0, PROMPTS, options)).isEqualTo(policy.sample(PROMPTS, options));
        assertThat(policy.sampleMixture(reference, 1, PROMPTS, options))
                .isEqualTo(reference.sample(PROMPTS, options));
        assertThat(reference.sample(PROMPTS, options)).isNotEqualTo(policy.sample(PROMPTS, options));
    }

    @Test
    void mixture_greedy_followsTheAverageOfTheLogits() {
        // argmax of 0.3 · z_ref + 0.7 · z_policy, recomputed from the whole prefix at every step
        List<Sample> mixed = policy.sampleMixture(reference, 0.3, PROMPTS, GREEDY);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(mixed.get(i).responseTokens()).as(PROMPTS.get(i)).containsExactly(
                    uncachedGreedy(List.of(reference, policy), new double[] {0.3, 1 - 0.3}, PROMPTS.get(i), 8));
        }
    }

    @Test
    void mixture_mismatchedReference_isRefused() {
        try (PolicyModel wider = PolicyModel.create(TINY.toBuilder().setContextLength(32).build(), 1)) {
            assertThatThrownBy(() -> policy.sampleMixture(wider, PROMPTS, GREEDY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextLength 32");
        }
        assertThatThrownBy(() -> policy.sampleMixture(reference, 1.5, PROMPTS, GREEDY))
                .hasMessageContaining("referenceWeight");
    }

    @Test
    void sample_stopsAtMaxNewTokensOrAFullContext() {
        SamplingOptions long_ = GREEDY.toBuilder().setMaxNewTokens(100).build();
        // context 24 reserves min(100, 23 / 2) = 11 new tokens: BOS + the prompt's last 12 bytes + at most 11 tokens
        Sample full = policy.sample(List.of("0123456789".repeat(3)), long_).get(0);
        assertThat(full.promptTokens()).containsExactly(new ByteTokenizer().encode("890123456789"));
        assertThat(full.stop()).isEqualTo(Sample.StopReason.CONTEXT_FULL);
        assertThat(full.responseTokens()).hasSize(11);
        Sample capped = policy.sample(List.of("ab"), GREEDY.toBuilder().setMaxNewTokens(3).build()).get(0);
        assertThat(capped.stop()).isEqualTo(Sample.StopReason.MAX_NEW_TOKENS);
        assertThat(capped.responseTokens()).hasSize(3);
        assertThat(policy.sample(List.of(), GREEDY)).isEmpty();
    }

    @Test
    void sample_releasesItsNativeMemory() {
        int before = policy.managedArrayCount();
        policy.sampleMixture(reference, PROMPTS, SamplingOptions.builder().setMaxNewTokens(5).build());
        assertThat(policy.managedArrayCount()).isEqualTo(before);
    }

    @Test
    void tokenLogProbs_ofSampledIds_matchTheLogitsPerPosition() {
        List<Sample> samples = policy.sample(PROMPTS, SamplingOptions.builder().setMaxNewTokens(6).setSeed(2).build());
        TokenBatch batch = policy.encodeIds(samples.stream().map(Sample::promptTokens).toList(),
                samples.stream().map(Sample::responseTokens).toList());
        int width = batch.maxLength() - 1;
        float[] perToken;
        float[] perSequence;
        float[] withoutGradients;
        try (Trainer trainer = policy.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                NDManager manager = NDManager.newBaseManager(policy.device())) {
            NDList arrays = batch.toArrays(manager);
            perToken = policy.tokenLogProbs(trainer, arrays).toFloatArray();
            perSequence = policy.sequenceLogProbs(trainer, arrays).toFloatArray();
            withoutGradients = policy.tokenLogProbs(arrays).toFloatArray();
        }
        // no dropout, so the trainer's forward pass and the inference one agree
        assertThat(withoutGradients).containsExactly(perToken, within(1e-6f));
        assertThat(perToken).hasSize(samples.size() * width);
        for (int b = 0; b < samples.size(); b++) {
            // BOS + prompt + response + EOS; position t predicts token t + 1, counted from the response on
            int[] row = batch.row(b);
            float[][] logits = policy.logits(row);
            double sum = 0;
            for (int t = 0; t < width; t++) {
                double want = t + 1 >= batch.responseStart(b) && t + 1 < row.length
                        ? logSoftmax(logits[t])[row[t + 1]]
                        : 0;
                sum += want;
                assertThat((double) perToken[b * width + t]).as("row %d position %d", b, t)
                        .isCloseTo(want, within(1e-4));
            }
            assertThat((double) perSequence[b]).isCloseTo(sum, within(1e-3));
        }
    }

    /**
     * Greedy decoding that recomputes the whole prefix: argmax over bytes and EOS of Σ weight_m · z_m, after BOS and
     * the prompt's last contextLength − 1 − min(steps, (contextLength − 1) / 2) bytes.
     */
    private static int[] uncachedGreedy(List<PolicyModel> models, double[] weights, String prompt, int steps) {
        List<Integer> tokens = new ArrayList<>();
        tokens.add(ByteTokenizer.BOS);
        int[] bytes = new ByteTokenizer().encode(prompt);
        int kept = Math.min(bytes.length, TINY.contextLength() - 1 - Math.min(steps, (TINY.contextLength() - 1) / 2));
        for (int id : Arrays.copyOfRange(bytes, bytes.length - kept, bytes.length)) {
            tokens.add(id);
        }
        List<Integer> response = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int[] prefix = tokens.stream().mapToInt(Integer::intValue).toArray();
            double[] sum = new double[TINY.vocabSize()];
            for (int m = 0; m < models.size(); m++) {
                float[] last = models.get(m).logits(prefix)[prefix.length - 1];
                for (int v = 0; v < sum.length; v++) {
                    sum[v] += weights[m] * last[v];
                }
            }
            float[] mixed = new float[sum.length];
            for (int v = 0; v < sum.length; v++) {
                mixed[v] = (float) sum[v];
            }
            int best = 0;
            for (int v = 1; v <= ByteTokenizer.EOS; v++) {
                if (v != ByteTokenizer.BOS && mixed[v] > mixed[best]) {
                    best = v;
                }
            }
            if (best == ByteTokenizer.EOS) {
                break;
            }
            response.add(best);
            tokens.add(best);
        }
        return response.stream().mapToInt(Integer::intValue).toArray();
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
