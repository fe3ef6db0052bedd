package io.prefpipe.ingestion.file;

import io.prefpipe.ingestion.validate.Violation;

/** Hears how a {@link FileIngestor} run is going; called on the ingesting thread, so keep it quick. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = progress -> { };

    /** Called after every {@link IngestOptions#progressEvery()} lines. */
    void onProgress(IngestProgress progress);

    /**
     * Called for every line that is dead-lettered, after its dead letter was handed to the sink, so that a person
     * running an ingest sees which lines were refused and why without reading the dead-letter topic.
     *
     * @param lineNumber the 1-based line number
     * @param violation the reason, the field and the message the dead letter records
     */
    default void onRejected(long lineNumber, Violation violation) {}
}
