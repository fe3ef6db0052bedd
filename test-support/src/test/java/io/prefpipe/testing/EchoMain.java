package io.prefpipe.testing;

/** Prints its arguments, an environment variable, its heap limit and a line on stderr: what the tests check. */
public final class EchoMain {
    private EchoMain() {}

    public static void main(String[] args) {
        System.out.println("args " + String.join(",", args));
        System.out.println("env " + System.getenv("PREFPIPE_TEST_VALUE"));
        System.out.println("flag " + System.getProperty("prefpipe.test.flag"));
        System.out.println("maxHeapMb " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.err.println("to stderr");
    }
}
