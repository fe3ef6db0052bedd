package io.prefpipe.app.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.app.jsonl.JsonlTransform;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.reward.model.RewardModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reward-model scores for JSONL lines, e.g. the candidates of the rejection sampler. */
@Command(
        name = "score",
        header = "Scores responses with a reward model.",
        mixinStandardHelpOptions = true,
        description = {
            "Scores responses with a reward model. Input lines are either",
            "  {\"prompt\": \"...\", \"response\": \"...\"}                     -> \"reward\" added, or",
            "  {\"prompt\": \"...\", \"candidates\": [{\"id\": \"a\", \"text\": \"...\"}, ...]}",
            "                                                  -> \"reward\" added to every candidate,",
            "the second being `prefpipe rso`'s input. Other fields pass through. A refused line becomes",
            "{\"line\": n, \"error\": \"...\"} and the exit code is then 2."
        })
public final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--reward-model", required = true, description = "Reward model folder (from train-rm).")
    Path rewardModel;

    @Option(names = "--input", required = true, description = "JSONL file to score.")
    Path input;

    @Option(names = "--out", required = true, description = "JSONL file to write.")
    Path out;

    @Option(names = "--chunk", defaultValue = "256", description = "Lines per scoring chunk (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        try (RewardModel model = RewardModel.load(rewardModel)) {
            JsonlTransform.Report report = JsonlTransform.run(input, out, chunk,
                    (objects, lines) -> score(model, objects), System.err);
            System.out.printf("%s -> %s (%.1f s)%n", report.summary(), out, (System.nanoTime() - start) / 1e9);
            return report.refused() == 0 ? 0 : 2;
        }
    }

    private static List<String> score(RewardModel model, List<ObjectNode> objects) {
        String[] errors = new String[objects.size()];
        List<PromptResponse> pairs = new ArrayList<>();
        List<ObjectNode> targets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode object = objects.get(i);
            String prompt = JsonlTransform.text(object, "prompt");
            JsonNode candidates = object.get("candidates");
            if (prompt == null) {
                errors[i] = "prompt: missing or not a string";
            } else if (candidates != null) {
                errors[i] = candidates(prompt, candidates, pairs, targets);
            } else if (JsonlTransform.text(object, "response") == null) {
                errors[i] = "response: missing or not a string (or give candidates)";
            } else {
                pairs.add(new PromptResponse(prompt, JsonlTransform.text(object, "response")));
                targets.add(object);
            }
        }
        double[] rewards = pairs.isEmpty() ? new double[0] : model.score(pairs);
        for (int p = 0; p < rewards.length; p++) {
            targets.get(p).put("reward", rewards[p]);
        }
        return Arrays.asList(errors);
    }

    /** Queues every candidate's text for scoring, or returns why the candidates are refused (nothing queued). */
    private static String candidates(String prompt, JsonNode candidates, List<PromptResponse> pairs,
            List<ObjectNode> targets) {
        if (!candidates.isArray() || candidates.isEmpty()) {
            return "candidates: must be a non-empty array";
        }
        for (int c = 0; c < candidates.size(); c++) {
            JsonNode candidate = candidates.get(c);
            if (!candidate.isObject() || !candidate.path("text").isTextual()) {
                return "candidates[" + c + "].text: missing or not a string";
            }
        }
        for (JsonNode candidate : candidates) {
            pairs.add(new PromptResponse(prompt, candidate.get("text").asText()));
            targets.add((ObjectNode) candidate);
        }
        return null;
    }
}
