package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.schema.FeedbackEvent;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A valid feedback event on its way from decoding to curation: what deduplication and the annotator model need, read
 * once, and the event itself as Avro binary, which curation decodes only when it decides the event's comparison.
 *
 * <p>Why not the {@link FeedbackEvent} itself: the event crosses two network exchanges (to dedupe by event id, then to
 * curation by comparison id) and waits in curation's state. As Avro bytes it crosses them as one array copy instead of
 * an encoding and a decoding of every text each time, and waits as one array instead of a graph of objects; events
 * that arrive after their comparison was decided are counted without ever being decoded again.
 *
 * <p>Flink serializes it with {@link ValidEventSerializer}, never with Kryo.
 *
 * @param eventId the event's id
 * @param comparisonId the event's comparison id
 * @param eventTimeMillis the event time, epoch milliseconds
 * @param fingerprint the {@link io.prefpipe.ingestion.validate.ContentFingerprint} of the event's content
 * @param avro the event's Avro encoding
 * @param votes the pairwise votes the event casts for the annotator model ({@link WindowVotes#of})
 * @param origin the message the event came in, which deduplication may have to dead-letter; {@code null} once
 *     deduplication has passed the event on ({@link #withoutOrigin()}), so curation's state never holds it
 */
@TypeInfo(ValidEventSerializer.Factory.class)
public record ValidEvent(String eventId, String comparisonId, long eventTimeMillis, long fingerprint, byte[] avro,
        WindowVote[] votes, Origin origin) {
    public ValidEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(comparisonId, "comparisonId");
        Objects.requireNonNull(avro, "avro");
        Objects.requireNonNull(votes, "votes");
    }

    /**
     * Where an event came from.
     *
     * @param topic the message's topic
     * @param partition its partition
     * @param offset its offset in that partition
     * @param message the message as received when it is not the event's Avro encoding (it came as JSON); {@code null}
     *     when it is, so that the bytes are held once
     */
    public record Origin(String topic, int partition, long offset, byte[] message) {
        public Origin {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * The valid event {@code event}, whose Avro encoding is {@code avro}, from {@code origin}: its fingerprint and
     * votes are computed here.
     */
    static ValidEvent of(FeedbackEvent event, byte[] avro, Origin origin) {
        return new ValidEvent(event.getEventId(), event.getComparisonId(), event.getEventTime().toEpochMilli(),
                ContentFingerprint.of(event), avro, WindowVotes.of(event), Objects.requireNonNull(origin, "origin"));
    }

    /** The message as received: {@link Origin#message()}, or the Avro encoding when that is the message. */
    byte[] receivedMessage() {
        return origin.message() != null ? origin.message() : avro;
    }

    /** This event without its origin, as deduplication passes it on. */
    ValidEvent withoutOrigin() {
        return new ValidEvent(eventId, comparisonId, eventTimeMillis, fingerprint, avro, votes, null);
    }
}
