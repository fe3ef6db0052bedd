package io.prefpipe.ingestion.file;

/** Hears how a {@link FileIngestor} run is going; called on the ingesting thread, so keep it quick. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = progress -> { };

    /** Called after every {@link IngestOptions#progressEvery()} lines. */
    void onProgress(IngestProgress progress);
}
