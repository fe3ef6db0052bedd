package io.prefpipe.ingestion.format;

import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;

/**
 * Unwinds a parser from deep inside a JSON tree to its {@code parse} method, which turns it into a
 * {@link ParseResult.Rejected}. Bad input is expected and frequent, so no stack trace is captured.
 */
final class InputRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    InputRejected(RejectReason reason, String field, String message) {
        super(message, null, false, false);
        this.violation = new Violation(reason, field, message);
    }

    Violation violation() {
        return violation;
    }
}
