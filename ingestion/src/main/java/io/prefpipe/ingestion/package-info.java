/** Getting feedback into prefpipe: formats, validation, the Avro producer and its dead-letter topic. */
package io.prefpipe.ingestion;
