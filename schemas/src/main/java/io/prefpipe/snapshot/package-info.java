/**
 * The snapshot manifest: the only description of a curated data snapshot that training reads. A snapshot is exactly
 * the files its manifest names, with their row counts and checksums, and the Kafka offsets they cover.
 */
package io.prefpipe.snapshot;
