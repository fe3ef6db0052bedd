package io.prefpipe.ingestion;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared real data sets, which live next to the repository at {@code <repo>/../shared/data}. */
public final class TestData {
    private TestData() {}

    /** The HH-RLHF harmless-base test split; skips the test with the assumption stated when it is absent. */
    public static Path hhRlhfHarmlessBaseTest() {
        Path file = sharedData().resolve("hh-rlhf/harmless-base-test.jsonl.gz");
        assumeTrue(Files.isRegularFile(file), "assumes the shared data set " + file
                + " exists (the real HH-RLHF file, read in place and never copied into the repository)");
        return file;
    }

    private static Path sharedData() {
        return repoRoot().getParent().resolve("shared/data");
    }

    /** The directory of the parent pom, found by walking up from the working directory (the module, under Maven). */
    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>prefpipe-parent</artifactId>")
                        && dir.resolve("ingestion").toFile().isDirectory()) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("cannot find the prefpipe repository root above " + Path.of("").toAbsolutePath());
    }
}
