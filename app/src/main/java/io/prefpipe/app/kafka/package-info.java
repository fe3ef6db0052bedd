/** Small Kafka helpers the app's components share. */
package io.prefpipe.app.kafka;
