package io.prefpipe.flink.cluster;

import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SnapshotStoreScenarios} on an S3-compatible object store ({@link S3Extension}), reached through Flink's own
 * S3 file system, {@code flink-s3-fs-hadoop}, loaded as a plugin as a cluster loads it from {@code plugins/}. Part files
 * are multipart uploads: a checkpoint closes a part file by uploading it as the parts of an upload it records, and
 * completing that upload, which makes the object visible, is the commit when the checkpoint completes; nothing is
 * renamed but the small files the job writes whole (a rename on S3 is a copy), and the cut copies its files.
 */
class S3CurationITCase extends SnapshotStoreScenarios {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension("prefpipe-bucket");

    @Override
    URI location(String path) {
        return S3.uri(path);
    }
}
