package io.prefpipe.flink.curate;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link ValidEvent} as its ids, two longs, its Avro bytes, its votes without their comparison and event ids
 * (they are the event's) and its origin, if any; the {@link TypeInformation} of {@link ValidEvent} (see
 * {@link RecordTypeInfo}).
 *
 * <p>No operator changes an event or the arrays it holds, so it is never copied (see
 * {@link ImmutableRecordSerializer}).
 *
 * <p>The format has two versions. The first had no origin; curation state written in it (events waiting for their
 * comparison to be decided, which never hold an origin) is read by {@link WithoutOrigin} and migrated on restore.
 */
public final class ValidEventSerializer extends ImmutableRecordSerializer<ValidEvent> {
    private static final long serialVersionUID = 1L;
    static final ValidEventSerializer INSTANCE = new ValidEventSerializer();

    private static final byte NO_ORIGIN = 0;
    private static final byte ORIGIN = 1;
    private static final byte ORIGIN_WITH_MESSAGE = 2;

    /** Puts this serializer behind {@code TypeInformation.of(ValidEvent.class)}. */
    public static final class Factory extends TypeInfoFactory<ValidEvent> {
        @Override
        public TypeInformation<ValidEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> parameters) {
            return new RecordTypeInfo<>(ValidEvent.class, INSTANCE);
        }
    }

    /**
     * Restores the serializer of the format a checkpoint was written in. Snapshot version 3 is the first format's
     * (it was a {@link org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot}, whose version that is, of
     * this class name and with no content); version 4 is the current one's.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ValidEvent> {
        private static final int WITHOUT_ORIGIN = 3;
        private static final int CURRENT = 4;

        private int version = CURRENT;

        @Override
        public int getCurrentVersion() {
            return CURRENT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != WITHOUT_ORIGIN && readVersion != CURRENT) {
                throw new IOException("unknown version " + readVersion + " of the ValidEvent serializer's snapshot");
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<ValidEvent> restoreSerializer() {
            return version == CURRENT ? INSTANCE : WithoutOrigin.INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<ValidEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ValidEvent> old) {
            if (!(old instanceof Snapshot s)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return s.version == CURRENT ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }

    /** Reads (and writes) the first format, which had no origin: only for state restored from it. */
    static final class WithoutOrigin extends ImmutableRecordSerializer<ValidEvent> {
        private static final long serialVersionUID = 1L;
        static final WithoutOrigin INSTANCE = new WithoutOrigin();

        @Override
        public void serialize(ValidEvent event, DataOutputView out) throws IOException {
            writeEvent(event, out);
        }

        @Override
        public ValidEvent deserialize(DataInputView in) throws IOException {
            return readEvent(in, false);
        }

        @Override
        public TypeSerializerSnapshot<ValidEvent> snapshotConfiguration() {
            throw new UnsupportedOperationException("state is never written in the ValidEvent format without origin");
        }
    }

    @Override
    public void serialize(ValidEvent event, DataOutputView out) throws IOException {
        writeEvent(event, out);
        ValidEvent.Origin origin = event.origin();
        if (origin == null) {
            out.writeByte(NO_ORIGIN);
            return;
        }
        out.writeByte(origin.message() == null ? ORIGIN : ORIGIN_WITH_MESSAGE);
        StringValue.writeString(origin.topic(), out);
        out.writeInt(origin.partition());
        out.writeLong(origin.offset());
        if (origin.message() != null) {
            out.writeInt(origin.message().length);
            out.write(origin.message());
        }
    }

    @Override
    public ValidEvent deserialize(DataInputView in) throws IOException {
        return readEvent(in, true);
    }

    @Override
    public TypeSerializerSnapshot<ValidEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeEvent(ValidEvent event, DataOutputView out) throws IOException {
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

    /** Reads an event, and its origin when the format has one. */
    private static ValidEvent readEvent(DataInputView in, boolean withOrigin) throws IOException {
        String eventId = StringValue.readString(in);
        String comparisonId = StringValue.readString(in);
        long eventTime = in.readLong();
        long fingerprint = in.readLong();
        byte[] avro = readBytes(in);
        WindowVote[] votes = new WindowVote[in.readInt()];
        for (int i = 0; i < votes.length; i++) {
            votes[i] = WindowVoteSerializer.readVote(comparisonId, eventId, in);
        }
        return new ValidEvent(eventId, comparisonId, eventTime, fingerprint, avro, votes,
                withOrigin ? readOrigin(in) : null);
    }

    private static ValidEvent.Origin readOrigin(DataInputView in) throws IOException {
        byte kind = in.readByte();
        if (kind == NO_ORIGIN) {
            return null;
        }
        String topic = StringValue.readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        return new ValidEvent.Origin(topic, partition, offset, kind == ORIGIN_WITH_MESSAGE ? readBytes(in) : null);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
