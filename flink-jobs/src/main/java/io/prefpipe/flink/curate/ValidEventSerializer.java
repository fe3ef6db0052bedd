package io.prefpipe.flink.curate;

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
 * Writes a {@link ValidEvent} as its ids, two longs, its Avro bytes and its votes without their comparison and event
 * ids (they are the event's); the {@link TypeInformation} of {@link ValidEvent} (see {@link RecordTypeInfo}).
 *
 * <p>No operator changes an event or the arrays it holds, so it is never copied (see
 * {@link ImmutableRecordSerializer}).
 */
public final class ValidEventSerializer extends ImmutableRecordSerializer<ValidEvent> {
    private static final long serialVersionUID = 1L;
    static final ValidEventSerializer INSTANCE = new ValidEventSerializer();

    /** Puts this serializer behind {@code TypeInformation.of(ValidEvent.class)}. */
    public static final class Factory extends TypeInfoFactory<ValidEvent> {
        @Override
        public TypeInformation<ValidEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> parameters) {
            return new RecordTypeInfo<>(ValidEvent.class, INSTANCE);
        }
    }

    /** Restores this serializer from a checkpoint; the format has one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ValidEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    @Override
    public void serialize(ValidEvent event, DataOutputView out) throws IOException {
        StringValue.writeString(event.eventId(), out);
        StringValue.writeString(event.comparisonId(), out);
        out.writeLong(event.eventTimeMillis());
        out.writeLong(event.fingerprint());
        out.writeInt(event.avro().length);
        out.write(event.avro());
        out.writeInt(event.votes().length);
        for (WindowVote v : event.votes()) {
            WindowVoteSerializer.writeVote(v, out);
        }
    }

    @Override
    public ValidEvent deserialize(DataInputView in) throws IOException {
        String eventId = StringValue.readString(in);
        String comparisonId = StringValue.readString(in);
        long eventTime = in.readLong();
        long fingerprint = in.readLong();
        byte[] avro = new byte[in.readInt()];
        in.readFully(avro);
        WindowVote[] votes = new WindowVote[in.readInt()];
        for (int i = 0; i < votes.length; i++) {
            votes[i] = WindowVoteSerializer.readVote(comparisonId, eventId, in);
        }
        return new ValidEvent(eventId, comparisonId, eventTime, fingerprint, avro, votes);
    }

    @Override
    public TypeSerializerSnapshot<ValidEvent> snapshotConfiguration() {
        return new Snapshot();
    }
}
