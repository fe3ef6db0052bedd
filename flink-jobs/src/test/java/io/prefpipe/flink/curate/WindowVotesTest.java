package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.ab;
import static io.prefpipe.flink.curate.TestEvents.abc;
import static io.prefpipe.flink.curate.TestEvents.choice;
import static io.prefpipe.flink.curate.TestEvents.ranking;
import static io.prefpipe.flink.curate.TestEvents.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import io.prefpipe.schema.FeedbackEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class WindowVotesTest {

    private static List<WindowVote> votes(FeedbackEvent event) {
        List<WindowVote> out = new ArrayList<>();
        ValidEvent valid = new ValidEvent(event.getEventId(), event.getComparisonId(),
                event.getEventTime().toEpochMilli(), 0, new byte[0], WindowVotes.of(event), null);
        new WindowVotes().flatMap(valid, new Collector<>() {
            @Override
            public void collect(WindowVote v) {
                out.add(v);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void flatMap_rankingOverThree_votesOnEveryPairWithTheComparisonId() {
        FeedbackEvent e = ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0);
        e.setShownOrder(List.of("b", "c", "a"));

        assertThat(votes(e)).containsExactlyInAnyOrder(
                new WindowVote("c9", "e1", "annotator-e1", "a", "c", Outcome.SECOND, ShownFirst.SECOND),
                new WindowVote("c9", "e1", "annotator-e1", "b", "c", Outcome.SECOND, ShownFirst.FIRST),
                new WindowVote("c9", "e1", "annotator-e1", "a", "b", Outcome.FIRST, ShownFirst.SECOND));
    }

    @Test
    void flatMap_tie_castsNoVote() {
        assertThat(votes(choice("e1", "c1", "Tie?", ab(), null, T0))).isEmpty();
    }

    @Test
    void flatMap_responsesWithTheSameText_castNoVote() {
        var same = responses(Map.of("a", "Same answer.", "b", "Same answer. "));
        assertThat(votes(choice("e1", "c1", "Same?", same, "a", T0))).isEmpty();
    }

    @Test
    void toPairwiseVote_isTheVoteItWasMadeOf() {
        PairwiseVote v = new PairwiseVote("e1", "ann", new ResponsePair("r1", "r2"), Outcome.SECOND, ShownFirst.FIRST);
        assertThat(WindowVote.of("c1", v).toPairwiseVote()).isEqualTo(v);
    }

    @Test
    void constructor_tie_isRefused() {
        assertThatThrownBy(() -> new WindowVote("c1", "e1", "ann", "a", "b", Outcome.TIE, ShownFirst.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("e1");
    }

    @Test
    void serializer_isTheHandWrittenOne_andRoundTrips() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<WindowVote> serializer = TypeInformation.of(WindowVote.class).createSerializer(noKryo);
        assertThat(serializer).isInstanceOf(WindowVoteSerializer.class);
        WindowVote vote = new WindowVote("c9", "e1", "annotator-é", "a", "c", Outcome.SECOND, ShownFirst.UNKNOWN);

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(vote, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        assertThat(serializer.deserialize(in)).isEqualTo(vote);
        assertThat(in.available()).isZero();
    }
}
