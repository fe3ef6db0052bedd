package io.prefpipe.flink.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationsTest {
    @Test
    void parse_relativePath_isAbsoluteFileUriWithoutTrailingSlash() {
        URI uri = Locations.parse("snapshot-dir", "out/snapshots/");

        assertThat(uri.getScheme()).isEqualTo("file");
        assertThat(Locations.local(uri)).contains(Path.of("out/snapshots").toAbsolutePath());
        assertThat(uri.toString()).doesNotEndWith("/");
    }

    @Test
    void parse_fileUri_isTheSameLocalFolder() {
        assertThat(Locations.local(Locations.parse("snapshot-dir", "file:///tmp/x/../snapshots")))
                .contains(Path.of("/tmp/snapshots"));
    }

    @Test
    void parse_objectStoreUri_keepsSchemeAndBucket() {
        URI uri = Locations.parse("snapshot-dir", "s3://bucket/snapshots/nightly/");

        assertThat(uri).isEqualTo(URI.create("s3://bucket/snapshots/nightly"));
        assertThat(Locations.local(uri)).isEmpty();
        assertThat(Locations.name(uri)).contains("nightly");
    }

    @Test
    void parse_uriWithoutFolder_namesTheField() {
        assertThatThrownBy(() -> Locations.parse("checkpoint-dir", "s3://bucket"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpoint-dir 's3://bucket' names no folder");
    }

    @Test
    void parse_invalidUri_namesTheField() {
        assertThatThrownBy(() -> Locations.parse("snapshots", "hdfs://name node/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("snapshots 'hdfs://name node/x' is not a valid URI");
    }

    @Test
    void parse_blank_namesTheField() {
        assertThatThrownBy(() -> Locations.parse("snapshots", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshots is required and must not be blank");
    }

    @Test
    void display_localLocationIsItsPath_otherIsItsUri() {
        assertThat(Locations.display(URI.create("file:///tmp/ckpt/job/chk-3"))).isEqualTo("/tmp/ckpt/job/chk-3");
        assertThat(Locations.display(URI.create("s3://bucket/savepoints/savepoint-1a2b")))
                .isEqualTo("s3://bucket/savepoints/savepoint-1a2b");
    }
}
