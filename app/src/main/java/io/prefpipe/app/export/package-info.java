/**
 * Exports of curated snapshots to the formats other tools read, e.g. TRL preference JSONL. An export reads a snapshot
 * only through its manifest, with the same checks training applies.
 */
package io.prefpipe.app.export;
