/**
 * Online candidates: comparisons sampled from a new checkpoint, scored by a reward model and kept by rejection
 * sampling, published on the candidates topic for annotation, and, in the synthetic world, simulated annotators who
 * judge them and send their judgements back as feedback.
 */
package io.prefpipe.app.candidates;
