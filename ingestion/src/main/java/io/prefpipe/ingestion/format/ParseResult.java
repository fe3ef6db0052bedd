package io.prefpipe.ingestion.format;

import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.FeedbackEvent;
import java.util.Objects;

/** What a parser made of one line: an event, or the reason it could not make one. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

    /** @param event the event the line describes; not yet checked by the validator */
    record Parsed(FeedbackEvent event) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(event, "event");
        }
    }

    /** @param violation why the line is not an event of this format */
    record Rejected(Violation violation) implements ParseResult {
        public Rejected {
            Objects.requireNonNull(violation, "violation");
        }
    }
}
