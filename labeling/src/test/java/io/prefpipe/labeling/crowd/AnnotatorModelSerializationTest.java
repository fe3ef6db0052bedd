package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnnotatorModelSerializationTest {

    static Stream<CrowdAggregator<?>> aggregators() {
        return Stream.of(new MajorityVoteAggregator(), new WawaAggregator(), new DawidSkeneAggregator(),
                new GladAggregator(), new PositionAwareDawidSkene());
    }

    @ParameterizedTest
    @MethodSource("aggregators")
    void serialization_roundTrip_scoresNewItemsTheSame(CrowdAggregator<?> aggregator) throws Exception {
        CrowdDataset data = CrowdDataset.builder().setClasses(List.of("0", "1"))
                .add("i0", "A", "0", "0").add("i0", "B", "0", "1").add("i0", "C", "1", "0")
                .add("i1", "A", "1", "1").add("i1", "B", "1", "0").add("i1", "C", "1", "1")
                .add("i2", "A", "0", "0").add("i2", "B", "1", "1")
                .build();
        AnnotatorModel model = aggregator.fit(data).model();
        AnnotatorModel copy = roundTrip(model);

        List<Vote> votes = List.of(new Vote("A", 1, 0), Vote.of("C", 0), Vote.of("stranger", 1));
        assertThat(copy.posterior(votes)).containsExactly(model.posterior(votes));
        assertThat(copy.method()).isEqualTo(aggregator.name());
        assertThat(copy.annotators()).isEqualTo(model.annotators());
        assertThat(copy.profile("B")).isEqualTo(model.profile("B"));
        assertThat(copy.estimates("stranger")).containsExactly(model.estimates("stranger"));
        assertThat(copy.estimateNames()).hasSize(model.estimates("A").length);
    }

    private static AnnotatorModel roundTrip(AnnotatorModel model) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (AnnotatorModel) in.readObject();
        }
    }
}
