package io.prefpipe.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.optimizer.bench.DpoStepBenchmark;
import io.prefpipe.optimizer.model.GeluVariant;
import io.prefpipe.optimizer.model.PolicyConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The same DPO step as {@link DpoStepBenchmark} in plain PyTorch ({@code torch_dpo_step.py}, shipped as a resource),
 * run by the machine's {@code python3} for a side-by-side comparison; Python is never needed otherwise. A {@link
 * Session} keeps one model in a Python process and takes a step whenever asked, so that the caller can alternate
 * PyTorch's steps with DJL's: on a machine that other work shares, both then run under the same load.
 */
public final class TorchDpoStep {

    private static final String SCRIPT = "torch_dpo_step.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;

    private TorchDpoStep(Path python) {
        this.python = python;
    }

    /** The baseline if {@code python} can import torch, else empty. */
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

    /** Builds {@code config}'s model in a new Python process with {@code threads} intra-op threads. */
    public Session start(DpoStepBenchmark.Config config, int threads) throws IOException {
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
        Path script = Files.createTempFile("prefpipe-", "-" + SCRIPT);
        try (InputStream in = TorchDpoStep.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from the application's resources");
            }
            Files.write(script, in.readAllBytes());
            ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(),
                    JSON.writeValueAsString(arguments));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            return new Session(builder.start(), script);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(script);
            throw e;
        }
    }

    /** One model in a Python process; close it to end the process. Not thread-safe. */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final Path script;
        private final BufferedReader replies;
        private final Writer commands;
        private final String version;
        private final int threads;
        private final long parameters;

        private Session(Process process, Path script) throws IOException {
            this.process = process;
            this.script = script;
            replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            try {
                JsonNode ready = reply();
                version = ready.get("torch").asText();
                threads = ready.get("threads").asInt();
                parameters = ready.get("parameters").asLong();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /** The torch version. */
        public String version() {
            return version;
        }

        /** torch's intra-op threads. */
        public int threads() {
            return threads;
        }

        /** The torch model's parameter count, to check that the two models agree. */
        public long parameters() {
            return parameters;
        }

        /** Takes one step; returns its wall-clock and thread CPU seconds. */
        public double[] step() throws IOException {
            JsonNode reply = ask("step");
            return new double[] {reply.get("wall_seconds").asDouble(), reply.get("cpu_seconds").asDouble()};
        }

        /**
         * torch's fp32 GEMM rate: the best of {@code runs} products of two n×n matrices, which the session makes, with
         * one untimed product, the first time it is asked for that n.
         */
        public double gemmFlopsPerSecond(int n, int runs) throws IOException {
            return ask("gemm " + n + " " + runs).get("gemm_flops").asDouble();
        }

        private JsonNode ask(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
            return reply();
        }

        private JsonNode reply() throws IOException {
            String line = replies.readLine();
            if (line == null) {
                throw new IOException(SCRIPT + " ended without an answer (exit code "
                        + (process.isAlive() ? "none yet" : process.exitValue()) + "); its errors are above");
            }
            return JSON.readTree(line);
        }

        @Override
        public void close() throws IOException {
            try {
                // the end of its input ends the script
                commands.close();
            } finally {
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                } finally {
                    Files.deleteIfExists(script);
                }
            }
        }
    }
}
