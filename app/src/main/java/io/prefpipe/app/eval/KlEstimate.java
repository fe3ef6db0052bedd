package io.prefpipe.app.eval;

import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceFormat;
import io.prefpipe.optimizer.model.SequenceLogProb;
import io.prefpipe.optimizer.model.sampling.Sample;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A Monte Carlo estimate of the sequence-level KL(π ‖ π_ref) = E_{y∼π}[log π(y|x) − log π_ref(y|x)] over prompts:
 * responses are sampled from π at temperature 1 without top-k/top-p (so they are draws from π itself) and scored by
 * both policies.
 *
 * @param kl the mean log-ratio over the samples (the k1 estimator; unbiased, can be negative by chance)
 * @param standardError its standard error over the samples
 * @param samples how many responses were drawn
 */
public record KlEstimate(double kl, double standardError, int samples) {

    /** Samples one response per prompt from {@code policy} with {@code maxNewTokens} and {@code seed}. */
    public static KlEstimate of(PolicyModel policy, PolicyModel reference, List<String> prompts, int maxNewTokens,
            long seed) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to estimate the KL on");
        }
        List<Sample> samples = policy.sample(prompts, SamplingOptions.builder().setMaxNewTokens(maxNewTokens)
                .setTemperature(1).setSeed(seed).build());
        List<PromptResponse> scored = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            // an empty response has no tokens to score unless the format appends EOS
            if (samples.get(i).responseTokens().length > 0
                    || policy.format().framing() == SequenceFormat.Framing.WRAPPED) {
                scored.add(new PromptResponse(prompts.get(i), samples.get(i).text()));
            }
        }
        List<SequenceLogProb> own = policy.logProbs(scored);
        List<SequenceLogProb> ref = reference.logProbs(scored);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < scored.size(); i++) {
            double ratio = own.get(i).logProb() - ref.get(i).logProb();
            sum += ratio;
            squares += ratio * ratio;
        }
        int n = scored.size();
        double mean = sum / n;
        double variance = n > 1 ? (squares - n * mean * mean) / (n - 1) : 0;
        return new KlEstimate(mean, Math.sqrt(Math.max(0, variance) / n), n);
    }
}
