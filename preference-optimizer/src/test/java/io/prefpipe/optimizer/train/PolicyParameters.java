package io.prefpipe.optimizer.train;

import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.prefpipe.optimizer.model.PolicyModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a policy's parameter values, to compare two training runs parameter by parameter. */
public final class PolicyParameters {
    private PolicyParameters() {}

    public static Map<String, float[]> of(PolicyModel policy) {
        Map<String, float[]> values = new LinkedHashMap<>();
        try (Trainer trainer = policy.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    /** The largest absolute difference between equally named parameters of {@code a} and {@code b}. */
    public static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException("different parameters: " + a.keySet() + " vs " + b.keySet());
        }
        double max = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }
}
