package io.prefpipe.ingestion;

/** The unchecked root of ingestion's own failures; caller mistakes stay {@link IllegalArgumentException}s. */
public class IngestionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IngestionException(String message, Throwable cause) {
        super(message, cause);
    }
}
