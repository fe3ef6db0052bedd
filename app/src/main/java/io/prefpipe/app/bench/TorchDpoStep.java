package io.prefpipe.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.optimizer.bench.DpoStepBenchmark;
import io.prefpipe.optimizer.model.GeluVariant;
import io.prefpipe.optimizer.model.PolicyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same DPO step as {@link DpoStepBenchmark} in plain PyTorch ({@code torch_dpo_step.py}, shipped as a
 * resource) through the machine's {@code python3}, for a side-by-side comparison. Python is never needed otherwise.
 */
public final class TorchDpoStep {

    private static final String SCRIPT = "torch_dpo_step.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Figures the script printed.
     *
     * @param version torch version
     * @param threads torch's intra-op threads during the run
     * @param parameters the torch model's parameter count, to check the shapes agree
     * @param times the timed steps
     * @param gemmFlopsPerSecond torch's fp32 GEMM rate on the same machine, n and thread count
     */
    public record Result(String version, int threads, long parameters, DpoStepBenchmark.StepTimes times,
            double gemmFlopsPerSecond) {}

    private final Path python;

    private TorchDpoStep(Path python) {
        this.python = python;
    }

    /** The baseline if {@code python3} with torch is installed, else empty with the reason logged by the caller. */
    public static Optional<TorchDpoStep> find(Path python) {
        try {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true)
                    .start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0
                    ? Optional.of(new TorchDpoStep(python)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Times {@code config}'s step in PyTorch with {@code threads} intra-op threads, then the best of {@code gemmRuns}
     * products of two {@code gemmSize}² matrices.
     */
    public Result run(DpoStepBenchmark.Config config, int threads, int gemmSize, int gemmRuns)
            throws IOException, InterruptedException {
        PolicyConfig p = config.policy();
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("threads", threads);
        arguments.put("seed", config.seed());
        arguments.put("vocab", p.vocabSize());
        arguments.put("width", p.width());
        arguments.put("heads", p.heads());
        arguments.put("mlp", p.mlpWidth());
        arguments.put("layers", p.layers());
        arguments.put("context", p.contextLength());
        // transformers' names for the two activations; the script maps them onto torch's fused kernels
        arguments.put("activation", p.gelu() == GeluVariant.TANH ? "gelu_new" : "gelu");
        arguments.put("pairs", config.pairs());
        arguments.put("tokens", config.tokens());
        arguments.put("prompt_tokens", config.promptTokens());
        arguments.put("warmup", config.warmups());
        arguments.put("steps", config.steps());
        arguments.put("gemm", gemmSize);
        arguments.put("gemm_runs", gemmRuns);
        Path script = Files.createTempFile("prefpipe-", "-" + SCRIPT);
        try {
            try (InputStream in = TorchDpoStep.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the application's resources");
                }
                Files.write(script, in.readAllBytes());
            }
            ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(),
                    JSON.writeValueAsString(arguments));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IOException(SCRIPT + " exited with " + process.exitValue() + ": " + output);
            }
            JsonNode result = JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
            return new Result(result.get("torch").asText(), result.get("threads").asInt(),
                    result.get("parameters").asLong(), new DpoStepBenchmark.StepTimes(doubles(result.get("wall_seconds")),
                            doubles(result.get("cpu_seconds"))), result.get("gemm_flops").asDouble());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
