/**
 * JSON Lines adapter for RSO: reads prompts with scored candidates, runs the pure sampler and pairing of the parent
 * package, and writes preference pairs. Every input line is accounted for: a prompt, a blank line, or a
 * {@link io.prefpipe.labeling.sampling.jsonl.Refusal} with its line number, field and reason.
 */
package io.prefpipe.labeling.sampling.jsonl;
