package io.prefpipe.app.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.app.jsonl.JsonlTransform;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Per-line response log-probabilities under a policy: the tool for debugging data and comparing implementations. */
@Command(
        name = "logprobs",
        header = "Scores responses' log-probabilities under a policy.",
        mixinStandardHelpOptions = true,
        description = {
            "Scores responses under a policy (a prefpipe checkpoint or a Hugging Face GPT-2 directory). Input lines:",
            "  {\"prompt\": \"...\", \"response\": \"...\", ...any other fields}",
            "Output: each input object with \"logprob\" (sum over the response tokens of log p(token | everything",
            "before it)) and \"tokens\" (how many response tokens were scored) added. Prompt and response are",
            "tokenized separately and concatenated; a prefpipe byte-level model adds BOS before and EOS after.",
            "A refused line becomes {\"line\": n, \"error\": \"...\"} and the exit code is then 2."
        })
public final class LogprobsCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Policy: a prefpipe checkpoint folder, its model folder, or a Hugging Face"
            + " GPT-2 folder.")
    Path model;

    @Option(names = "--input", required = true, description = "JSONL file of prompt/response objects.")
    Path input;

    @Option(names = "--out", description = "Output JSONL file (default: the input with .logprobs.jsonl).")
    Path out;

    @Option(names = "--chunk", defaultValue = "256", description = "Lines scored per chunk (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Override
    public Integer call() throws Exception {
        Path output = out != null ? out : input.resolveSibling(input.getFileName() + ".logprobs.jsonl");
        long start = System.nanoTime();
        try (PolicyModel policy = PolicyDirs.load(model)) {
            JsonlTransform.Report report = JsonlTransform.run(input, output, chunk,
                    (objects, lines) -> score(policy, objects), System.err);
            System.out.printf("%s -> %s (%.1f s)%n", report.summary(), output, (System.nanoTime() - start) / 1e9);
            return report.refused() == 0 ? 0 : 2;
        }
    }

    private static List<String> score(PolicyModel policy, List<ObjectNode> objects) {
        String[] errors = new String[objects.size()];
        List<PromptResponse> pairs = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            String prompt = JsonlTransform.text(objects.get(i), "prompt");
            String response = JsonlTransform.text(objects.get(i), "response");
            if (prompt == null || response == null) {
                errors[i] = (prompt == null ? "prompt" : "response") + ": missing or not a string";
            } else {
                pairs.add(new PromptResponse(prompt, response));
                index.add(i);
            }
        }
        List<SequenceLogProb> scored;
        try {
            scored = pairs.isEmpty() ? List.of() : policy.logProbs(pairs);
        } catch (IllegalArgumentException batchRefused) {
            // one unscorable pair refuses the whole batch; score one by one to refuse only that line
            scored = new ArrayList<>();
            for (int p = 0; p < pairs.size(); p++) {
                try {
                    scored.add(policy.logProbs(List.of(pairs.get(p))).get(0));
                } catch (IllegalArgumentException e) {
                    errors[index.get(p)] = e.getMessage();
                    scored.add(null);
                }
            }
        }
        for (int p = 0; p < pairs.size(); p++) {
            SequenceLogProb s = scored.get(p);
            if (s != null) {
                objects.get(index.get(p)).put("logprob", s.logProb()).put("tokens", s.tokens());
            }
        }
        return Arrays.asList(errors);
    }
}
