package io.prefpipe.optimizer.model;

/**
 * The log-probability of one response given its prompt.
 *
 * @param logProb Σ log p(token | prefix) over the response tokens (EOS included); ≤ 0
 * @param tokens number of response tokens scored (after truncation to the context length)
 */
public record SequenceLogProb(double logProb, int tokens) {}
