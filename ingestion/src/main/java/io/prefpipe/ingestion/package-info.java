/**
 * Getting feedback into prefpipe: line formats, validation, file ingestion, the Avro producer with its dead-letter
 * topic, and the synthetic feedback world with a known true reward.
 */
package io.prefpipe.ingestion;
