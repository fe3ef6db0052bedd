package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.aggregate.PairwiseDatasets;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.crowd.Vote;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class AnnotatorModelUpdateTest {
    private static final Instant FITTED = Instant.parse("2026-11-28T10:00:00Z");

    /** A Dawid-Skene model fitted on 60 votes of three annotators: good, fair and bad. */
    static AnnotatorModel model() {
        List<PairwiseVote> votes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ResponsePair pair = new ResponsePair("r" + i, "s" + i);
            Outcome truth = i % 2 == 0 ? Outcome.FIRST : Outcome.SECOND;
            Outcome other = truth == Outcome.FIRST ? Outcome.SECOND : Outcome.FIRST;
            votes.add(new PairwiseVote("g" + i, "good", pair, truth, ShownFirst.UNKNOWN));
            votes.add(new PairwiseVote("h" + i, "fair", pair, i % 5 == 0 ? other : truth, ShownFirst.UNKNOWN));
            votes.add(new PairwiseVote("b" + i, "bad", pair, other, ShownFirst.UNKNOWN));
        }
        return new DawidSkeneAggregator().fit(PairwiseDatasets.fromVotes(votes).dataset()).model();
    }

    @Test
    void deserialize_givesAModelThatScoresLikeTheOriginal() throws Exception {
        AnnotatorModel original = model();
        AnnotatorModelUpdate update = AnnotatorModelUpdate.of(3, FITTED, 60, original);

        AnnotatorModel copy = update.deserialize(getClass().getClassLoader());

        List<Vote> votes = List.of(Vote.of("bad", 0), Vote.of("fair", 1));
        assertThat(copy.posterior(votes)).containsExactly(original.posterior(votes));
        assertThat(copy.profile("good")).isEqualTo(original.profile("good"));
        assertThat(update.fittedAt()).isEqualTo(FITTED);
    }

    @Test
    void flinkSerializer_roundTripsTheUpdate() throws Exception {
        TypeInformation<AnnotatorModelUpdate> type = TypeInformation.of(AnnotatorModelUpdate.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<AnnotatorModelUpdate> serializer = type.createSerializer(new SerializerConfigImpl());
        AnnotatorModelUpdate update = AnnotatorModelUpdate.of(3, FITTED, 60, model());

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(update, out);
        AnnotatorModelUpdate read = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read.version()).isEqualTo(3);
        assertThat(read.fittedAtMillis()).isEqualTo(FITTED.toEpochMilli());
        assertThat(read.windowVotes()).isEqualTo(60);
        assertThat(read.serializedModel()).isEqualTo(update.serializedModel());
    }

    @Test
    void deserialize_bytesOfSomethingElse_isAnIOException() throws Exception {
        AnnotatorModelUpdate notAModel = new AnnotatorModelUpdate(1, 0, 0,
                InstantiationUtil.serializeObject("a string"));

        assertThatThrownBy(() -> notAModel.deserialize(getClass().getClassLoader()))
                .isInstanceOf(IOException.class).hasMessageContaining("model version 1");
    }

    @Test
    void constructor_versionZero_isRefused() {
        assertThatThrownBy(() -> new AnnotatorModelUpdate(0, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }
}
