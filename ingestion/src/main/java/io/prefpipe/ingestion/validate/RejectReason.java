package io.prefpipe.ingestion.validate;

/** Why an input could not become a valid {@code FeedbackEvent}; the code is what the dead-letter topic records. */
public enum RejectReason {
    /** The line or message is not well-formed JSON. */
    INVALID_JSON("invalid_json"),
    /** The message is not a decodable Avro {@code FeedbackEvent}. */
    INVALID_AVRO("invalid_avro"),
    /** The bytes are not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** A required field is absent, null or blank. */
    MISSING_FIELD("missing_field"),
    /** A field has the wrong JSON type. */
    WRONG_TYPE("wrong_type"),
    /** A field this format does not define is present. */
    UNKNOWN_FIELD("unknown_field"),
    /** A field's value is outside its domain (an unknown enum symbol, a strength outside [0, 1], ...). */
    INVALID_VALUE("invalid_value"),
    /** Fewer than two responses. */
    TOO_FEW_RESPONSES("too_few_responses"),
    /** More responses than the configured limit. */
    TOO_MANY_RESPONSES("too_many_responses"),
    /** Two responses share an id. */
    DUPLICATE_RESPONSE_ID("duplicate_response_id"),
    /** The judgement or display order names a response id the event does not have. */
    UNKNOWN_RESPONSE("unknown_response"),
    /** The judgement is malformed: a ranking that is not a permutation, a tie with a preferred response, ... */
    INVALID_JUDGEMENT("invalid_judgement"),
    /** A prompt or response text is empty. */
    EMPTY_TEXT("empty_text"),
    /** A field is larger than the configured limit. */
    TOO_LARGE("too_large"),
    /** The event time is not positive or lies too far in the future. */
    INVALID_TIMESTAMP("invalid_timestamp"),
    /** An event id seen before with other content ({@link ContentFingerprint}); the first event was kept. */
    CONFLICTING_DUPLICATE("conflicting_duplicate"),
    /** An HH-RLHF record whose two dialogues cannot be split into a shared prompt and two final responses. */
    UNPARSEABLE_DIALOGUE("unparseable_dialogue");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The stable code recorded in dead letters and counts. */
    public String code() {
        return code;
    }
}
