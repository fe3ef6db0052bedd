package io.prefpipe.ingestion.format;

/**
 * Turns one line of an input format into a {@code FeedbackEvent}.
 *
 * <p>Contract: never throws for bad input; every line yields either {@link ParseResult.Parsed} or
 * {@link ParseResult.Rejected} with a reason code and the offending field. Parsing is deterministic: the same line
 * and context always give the same event (ids included), so re-ingesting a file is deduplicated downstream.
 * Implementations are stateless and thread-safe.
 */
public interface FeedbackParser {

    /**
     * Parses one line.
     *
     * @param line the line without its terminator, already decoded from UTF-8
     * @param context where the line came from
     */
    ParseResult parse(String line, LineContext context);
}
