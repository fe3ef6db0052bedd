package io.prefpipe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible object store for tests: S3Proxy on jclouds' file system back end (objects are files under a folder
 * of the test's), speaking the S3 REST API with AWS signatures on 127.0.0.1 at a free port, with one access key.
 * Multipart uploads work, which is what Flink's S3 file sink is made of. It runs in a JVM of its own, on the classpath
 * this module's build wrote, because its libraries would clash with a test's.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "prefpipe";
    public static final String SECRET_KEY = "prefpipe-secret";

    private static final String CLASSPATH_RESOURCE = "s3proxy.classpath";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private S3Server(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts a store that keeps its objects under {@code storage} and has the given buckets, and returns once it
     * accepts connections.
     *
     * @throws IOException if it cannot be started, or does not listen within a minute (its log is in the message)
     */
    public static S3Server start(Path storage, String... buckets) throws IOException, InterruptedException {
        Path blobs = Files.createDirectories(storage.resolve("blobs"));
        for (String bucket : buckets) {
            // the file system back end keeps a bucket as a folder
            Files.createDirectories(blobs.resolve(Objects.requireNonNull(bucket, "bucket")));
        }
        int port = freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = storage.resolve("s3proxy.properties");
        Files.write(properties, List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs.toAbsolutePath()));
        // logback's default is DEBUG for every request
        Path logback = storage.resolve("logback.xml");
        Files.writeString(logback, "<configuration><appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"out\"/></root></configuration>");
        Path log = storage.resolve("s3proxy.log");
        Process process = JavaProcess.of("org.gaul.s3proxy.Main")
                .classpath(classpath())
                .maxHeap("256m")
                .systemProperty("logback.configurationFile", logback.toAbsolutePath().toString())
                .args("--properties", properties.toAbsolutePath().toString())
                .outputTo(log)
                .start();
        S3Server server = new S3Server(process, endpoint, log);
        try {
            server.awaitListening(port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The store's endpoint, e.g. {@code http://127.0.0.1:40123}, for path-style requests. */
    public URI endpoint() {
        return endpoint;
    }

    /** What the store has logged (warnings and errors). */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("S3Proxy exited with " + process.exitValue() + " before it listened; log:\n"
                            + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not listen on port " + port + " within "
                            + START_TIMEOUT.toSeconds() + " s; log:\n" + log());
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> classpath() {
        try (InputStream in = S3Server.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing beside " + S3Server.class.getName()
                        + "; test-support's build writes it (mvn -pl test-support install)");
            }
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()
                    .split(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
