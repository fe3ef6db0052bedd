package io.prefpipe.labeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** labeling is plain Java, so the same code runs in a unit test, the batch CLI and the streaming job. */
class LabelingDependenciesTest {
    private static final Pattern FORBIDDEN = Pattern.compile("^import\\s+(static\\s+)?org\\.apache\\.(flink|kafka|avro)\\.",
            Pattern.MULTILINE);

    @Test
    void mainSources_importNoFlinkKafkaOrAvro() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main).isDirectory();
        try (Stream<Path> files = Files.walk(main)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> FORBIDDEN.matcher(read(p)).find()).toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
