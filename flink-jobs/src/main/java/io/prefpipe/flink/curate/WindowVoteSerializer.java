package io.prefpipe.flink.curate;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link WindowVote} as its five ids and two one-byte enums; the {@link TypeInformation} of
 * {@link WindowVote} (see {@link RecordTypeInfo}).
 */
public final class WindowVoteSerializer extends ImmutableRecordSerializer<WindowVote> {
    private static final long serialVersionUID = 1L;
    static final WindowVoteSerializer INSTANCE = new WindowVoteSerializer();
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final ShownFirst[] SHOWN_FIRST = ShownFirst.values();

    /** Puts this serializer behind {@code TypeInformation.of(WindowVote.class)}. */
    public static final class Factory extends TypeInfoFactory<WindowVote> {
        @Override
        public TypeInformation<WindowVote> createTypeInfo(Type t, Map<String, TypeInformation<?>> parameters) {
            return new RecordTypeInfo<>(WindowVote.class, INSTANCE);
        }
    }

    /** Restores this serializer from a checkpoint; the format has one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowVote> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    @Override
    public void serialize(WindowVote vote, DataOutputView out) throws IOException {
        StringValue.writeString(vote.comparisonId(), out);
        StringValue.writeString(vote.eventId(), out);
        writeVote(vote, out);
    }

    @Override
    public WindowVote deserialize(DataInputView in) throws IOException {
        return readVote(StringValue.readString(in), StringValue.readString(in), in);
    }

    @Override
    public TypeSerializerSnapshot<WindowVote> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Writes what a vote holds besides its comparison and event id. */
    static void writeVote(WindowVote vote, DataOutputView out) throws IOException {
        StringValue.writeString(vote.annotatorId(), out);
        StringValue.writeString(vote.first(), out);
        StringValue.writeString(vote.second(), out);
        out.writeByte(vote.outcome().ordinal());
        out.writeByte(vote.shownFirst().ordinal());
    }

    /** Reads what {@link #writeVote} wrote, for a vote in {@code comparisonId} from event {@code eventId}. */
    static WindowVote readVote(String comparisonId, String eventId, DataInputView in) throws IOException {
        String annotatorId = StringValue.readString(in);
        String first = StringValue.readString(in);
        String second = StringValue.readString(in);
        Outcome outcome = OUTCOMES[in.readByte()];
        ShownFirst shownFirst = SHOWN_FIRST[in.readByte()];
        return new WindowVote(comparisonId, eventId, annotatorId, first, second, outcome, shownFirst);
    }
}
