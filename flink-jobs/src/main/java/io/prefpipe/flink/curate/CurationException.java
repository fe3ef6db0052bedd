package io.prefpipe.flink.curate;

/** A curation run could not start, failed, or produced a snapshot that does not add up. */
public class CurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CurationException(String message) {
        super(message);
    }

    public CurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
