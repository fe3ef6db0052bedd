package io.prefpipe.flink.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

/** On a file system of another scheme, through Flink's API; the local one is covered by every snapshot test. */
class FlinkFilesTest {
    private final Path dir = new Path(ForeignSchemeFileSystem.uri("flink-files-test/" + UUID.randomUUID()));

    @Test
    void writeAtomically_replacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = new Path(dir, "plan.json");

        FlinkFiles.writeAtomically(file, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        FlinkFiles.writeAtomically(file, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));

        String content = FlinkFiles.read(file, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(content).isEqualTo("second");
        assertThat(FlinkFiles.list(dir)).extracting(s -> s.getPath().getName()).containsExactly("plan.json");
        assertThat(ForeignSchemeFileSystem.root().resolve(dir.toUri().getPath().substring(1)).resolve("plan.json"))
                .as("kept where the file system keeps it").hasContent("second");
    }

    @Test
    void list_sortsByNameAndIsEmptyForAnAbsentFolder() throws Exception {
        for (String name : new String[] {"b", "a", "c"}) {
            FlinkFiles.writeAtomically(new Path(dir, name), out -> out.write(1));
        }

        assertThat(FlinkFiles.list(dir)).extracting(s -> s.getPath().getName()).containsExactly("a", "b", "c");
        assertThat(FlinkFiles.list(new Path(dir, "absent"))).isEmpty();
        assertThat(FlinkFiles.isAbsentOrEmpty(new Path(dir, "absent"))).isTrue();
        assertThat(FlinkFiles.isAbsentOrEmpty(dir)).isFalse();
    }

    @Test
    void deleteIfExists_leavesAFolderThatIsNotEmpty() throws Exception {
        Path file = new Path(new Path(dir, "chk-1"), "entry.json");
        FlinkFiles.writeAtomically(file, out -> out.write(1));

        FlinkFiles.deleteIfExists(new Path(dir, "chk-1"));
        assertThat(FlinkFiles.exists(file)).isTrue();

        FlinkFiles.deleteIfExists(file);
        FlinkFiles.deleteIfExists(new Path(dir, "chk-1"));
        assertThat(FlinkFiles.exists(new Path(dir, "chk-1"))).isFalse();
        FlinkFiles.deleteIfExists(new Path(dir, "chk-1"));
    }
}
