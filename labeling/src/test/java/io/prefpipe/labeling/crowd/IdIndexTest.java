package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdIndexTest {

    @Test
    void of_distinctIds_mapsBothWays() {
        IdIndex index = IdIndex.of(List.of("x", "y", "z"));
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.indexOf("y")).isEqualTo(1);
        assertThat(index.id(2)).isEqualTo("z");
        assertThat(index.indexOf("nope")).isEqualTo(-1);
        assertThat(index.ids()).containsExactly("x", "y", "z");
    }

    @Test
    void of_duplicateId_isRefusedNamingIt() {
        assertThatThrownBy(() -> IdIndex.of(List.of("x", "y", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }

    @Test
    void range_idsAreTheDenseInts() {
        IdIndex index = IdIndex.range(4);
        assertThat(index.ids()).containsExactly("0", "1", "2", "3");
        assertThat(index.indexOf("3")).isEqualTo(3);
    }

    @Test
    void serialization_roundTrip_rebuildsTheLookup() throws Exception {
        IdIndex index = IdIndex.of(List.of("a", "b"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(index);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            IdIndex read = (IdIndex) in.readObject();
            assertThat(read).isEqualTo(index);
            assertThat(read.indexOf("b")).isEqualTo(1);
        }
    }
}
