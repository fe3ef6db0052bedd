package io.prefpipe.optimizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One seeded training run in a JVM of its own, for {@link CrossProcessDeterminismTest}: supervised warm-up, then DPO,
 * on the default policy, in batches of 16 texts of the demo's lengths. Before it trains it takes {@code args[0]} bytes of native memory (a direct buffer and an
 * array of about the same size, both kept), so that everything the run allocates natively lies elsewhere than in a
 * run that took another amount. Prints the SHA-256 of the policy's parameters before and after training, one line
 * each.
 */
public final class TrainingRunMain {
    private TrainingRunMain() {}

    public static void main(String[] args) throws Exception {
        int padding = Integer.parseInt(args[0]);
        ByteBuffer held = ByteBuffer.allocateDirect(padding + 1);
        try (NDManager manager = NDManager.newBaseManager();
                PolicyModel policy = PolicyModel.create(PolicyConfig.defaults(), 11)) {
            NDArray shifted = manager.zeros(new Shape(padding / 4 + 1));
            System.out.println("initial " + digest(PolicyParameters.of(policy)));
            List<PreferenceExample> pairs = pairs(64);
            List<PromptResponse> responses = pairs.stream()
                    .map(p -> new PromptResponse(p.prompt(), p.chosen())).toList();
            new SftTrainer(TrainingConfig.builder().setSteps(30).setBatchSize(16).setLearningRate(3e-3).setSeed(3)
                    .build()).train(policy, responses);
            try (PolicyModel reference = policy.frozenCopy()) {
                new PreferenceTrainer(new DpoLoss(0.5), TrainingConfig.builder().setSteps(30).setBatchSize(16)
                        .setLearningRate(1e-3).setBeta(0.5).setSeed(3).build())
                        .train(policy, reference, pairs);
            }
            System.out.println("trained " + digest(PolicyParameters.of(policy)));
            System.out.println("held " + held.capacity() + " + " + shifted.size() * 4 + " bytes");
        }
    }

    /** Seeded pairs of the demo's sizes: prompts of 20-40 characters, responses of 30-80. */
    private static List<PreferenceExample> pairs(int n) {
        Random random = new Random(5);
        List<PreferenceExample> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(PreferenceExample.of("p" + i, text(random, 20, 40), text(random, 30, 80),
                    text(random, 30, 80)));
        }
        return pairs;
    }

    private static String text(Random random, int min, int max) {
        StringBuilder b = new StringBuilder();
        int length = min + random.nextInt(max - min + 1);
        while (b.length() < length) {
            b.append(random.nextInt(4) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private static String digest(Map<String, float[]> parameters) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, float[]> p : parameters.entrySet()) {
            sha.update(p.getKey().getBytes(StandardCharsets.UTF_8));
            ByteBuffer bits = ByteBuffer.allocate(p.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bits.asFloatBuffer().put(p.getValue());
            sha.update(bits);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
