package io.prefpipe.ingestion.file;

import java.time.Duration;

/**
 * Where a running ingestion stands.
 *
 * @param linesRead lines read so far
 * @param produced events handed to the sink so far (acknowledged once the run returns)
 * @param deadLettered dead letters handed to the sink so far
 * @param elapsed time since the run started
 */
public record IngestProgress(long linesRead, long produced, long deadLettered, Duration elapsed) {}
