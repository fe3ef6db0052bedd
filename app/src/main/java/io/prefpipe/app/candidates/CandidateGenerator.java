package io.prefpipe.app.candidates;

import io.prefpipe.labeling.sampling.Pairing;
import io.prefpipe.labeling.sampling.RejectionSample;
import io.prefpipe.labeling.sampling.RejectionSampler;
import io.prefpipe.labeling.sampling.RejectionSamplerConfig;
import io.prefpipe.labeling.sampling.RsoPair;
import io.prefpipe.labeling.sampling.ScoredCandidate;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.schema.AnnotationRequest;
import io.prefpipe.schema.CandidateResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Online candidates for annotation, as RSO makes them (Liu et al. 2024): sample K responses per prompt from the
 * policy, score them with a reward model, keep n by statistical rejection sampling ({@link RejectionSampler}) and pair
 * the kept ones ({@link Pairing}). Each pair becomes an {@link AnnotationRequest}; its two responses are shown in an
 * order drawn at random, never by score. Empty responses are dropped before sampling (annotators cannot judge them, and
 * validation would dead-letter them), and so are pairs of identical texts or equal scores (no preference to ask for).
 *
 * <p>Deterministic by seed: the same policy, reward model, prompts and seed give the same requests.
 *
 * @param samplesPerPrompt K
 * @param sampler keeps n of the K by rejection sampling
 * @param pairing pairs the kept ones
 * @param sampling how responses are sampled (its seed is replaced by the one given to {@link #generate})
 */
public record CandidateGenerator(int samplesPerPrompt, RejectionSamplerConfig sampler, Pairing pairing,
        SamplingOptions sampling) {

    public CandidateGenerator {
        if (samplesPerPrompt < 2) {
            throw new IllegalArgumentException("samplesPerPrompt must be >= 2, got " + samplesPerPrompt);
        }
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(pairing, "pairing");
        Objects.requireNonNull(sampling, "sampling");
    }

    /**
     * The requests for {@code prompts}, numbered {@code <checkpointId>-c00000} upwards in prompt order.
     *
     * @param checkpointId the checkpoint {@code policy} was loaded from
     * @param iteration the loop iteration, recorded in each request
     */
    public List<AnnotationRequest> generate(PolicyModel policy, RewardModel rewardModel, List<String> prompts,
            String checkpointId, int iteration, long seed, Instant now) {
        List<String> repeated = new ArrayList<>(prompts.size() * samplesPerPrompt);
        for (String prompt : prompts) {
            for (int k = 0; k < samplesPerPrompt; k++) {
                repeated.add(prompt);
            }
        }
        List<String> texts = policy.sample(repeated, sampling.withSeed(seed)).stream().map(s -> s.text()).toList();
        List<PromptResponse> toScore = new ArrayList<>();
        for (int i = 0; i < repeated.size(); i++) {
            if (!texts.get(i).isBlank()) {
                toScore.add(new PromptResponse(repeated.get(i), texts.get(i)));
            }
        }
        double[] scores = toScore.isEmpty() ? new double[0] : rewardModel.score(toScore);
        RejectionSampler rso = new RejectionSampler(sampler);
        Random order = new Random(seed);
        List<AnnotationRequest> requests = new ArrayList<>();
        int scored = 0;
        for (int p = 0; p < prompts.size(); p++) {
            List<ScoredCandidate> candidates = new ArrayList<>();
            for (int k = 0; k < samplesPerPrompt; k++) {
                String text = texts.get(p * samplesPerPrompt + k);
                if (!text.isBlank()) {
                    candidates.add(new ScoredCandidate("s" + k, text, scores[scored++]));
                }
            }
            RejectionSample kept = rso.sample(candidates, seed * 31 + p);
            for (RsoPair pair : pairing.pairs(kept.candidates())) {
                if (pair.tied() || pair.chosen().text().equals(pair.rejected().text())) {
                    continue;
                }
                boolean chosenFirst = order.nextBoolean();
                ScoredCandidate first = chosenFirst ? pair.chosen() : pair.rejected();
                ScoredCandidate second = chosenFirst ? pair.rejected() : pair.chosen();
                requests.add(AnnotationRequest.newBuilder()
                        .setComparisonId(String.format(Locale.ROOT, "%s-c%05d", checkpointId, requests.size()))
                        .setPrompt(prompts.get(p))
                        .setResponses(List.of(response("r1", first), response("r2", second)))
                        .setCheckpointId(checkpointId)
                        .setIteration(iteration)
                        .setCreatedTime(now)
                        .build());
            }
        }
        return requests;
    }

    private static CandidateResponse response(String id, ScoredCandidate candidate) {
        return CandidateResponse.newBuilder().setId(id).setText(candidate.text()).setReward(candidate.reward())
                .build();
    }
}
