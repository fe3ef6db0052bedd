package io.prefpipe.app;

import io.prefpipe.labeling.sampling.RejectionSamplerConfig;
import io.prefpipe.labeling.sampling.jsonl.RsoFileRunner;
import io.prefpipe.labeling.sampling.jsonl.RsoOptions;
import io.prefpipe.labeling.sampling.jsonl.RsoReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Statistical rejection sampling (RSO) over a file of scored candidates. */
@Command(
        name = "rso",
        header = "Rejection-samples scored candidates into preference pairs.",
        mixinStandardHelpOptions = true,
        description = {
            "Statistical rejection sampling (Liu et al., RSO, Algorithm 1) over scored candidates: per prompt, accepts",
            "up to --n candidates with probability exp((r - r_max)/beta) round by round, then pairs the accepted ones",
            "by first-round rank (n/2 pairs) or tournament rank (n-1 pairs). Input lines:",
            "  {\"prompt\": \"...\", \"candidates\": [{\"id\": \"a\", \"text\": \"...\", \"reward\": 1.2}, ...]}",
            "Output lines: {\"prompt\", \"chosen\", \"rejected\", \"chosen_reward\", \"rejected_reward\"}.",
            "Every refused line is reported with its number, field and reason; the exit code is then 2."
        })
final class RsoCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "JSONL file of prompts with scored candidates.")
    Path input;

    @Option(names = "--out", required = true, description = "JSONL file of preference pairs to write.")
    Path out;

    @Option(names = "--n", description = "Candidates to accept per prompt (default: ${DEFAULT-VALUE}).")
    int n = RejectionSamplerConfig.DEFAULT_N;

    @Option(names = "--beta", description = "Temperature: toward 0 best-of-N, large accepts all (default: ${DEFAULT-VALUE}).")
    double beta = RejectionSamplerConfig.DEFAULT_BETA;

    @Option(names = "--pairing", defaultValue = "tournament",
            description = "first-round or tournament (default: ${DEFAULT-VALUE}).")
    String pairing;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        RsoReport report = RsoFileRunner.run(RsoOptions.builder()
                .setInput(input).setOutput(out).setN(n).setBeta(beta).setPairing(pairing).setSeed(seed).build());
        report.refusals().forEach(r -> System.err.println("refused " + r));
        System.out.println(report.summary());
        return report.refusedTotal() == 0 ? 0 : 2;
    }
}
