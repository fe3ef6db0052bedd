/**
 * The policy: a decoder-only causal Transformer written as a DJL block ({@link
 * io.prefpipe.optimizer.model.TransformerPolicy}, GPT-2's architecture) and {@link
 * io.prefpipe.optimizer.model.PolicyModel}, which owns the native memory and the tokenizer, loads and saves
 * checkpoints, computes masked log-probabilities and samples with a key/value cache.
 *
 * <p>Two kinds of policy share the block: the byte-level one ({@link io.prefpipe.optimizer.model.ByteTokenizer},
 * {@code BOS + prompt + response + EOS}, saved in DJL's format) and Hugging Face GPT-2 checkpoints ({@code
 * config.json}, {@code model.safetensors}, {@code tokenizer.json}; {@code prompt + response}), which load and save in
 * their own layout. {@link io.prefpipe.optimizer.model.SequenceFormat} states both conventions. Sub-packages: {@code
 * tokenizer} (the tokenizer abstraction and the Hugging Face binding), {@code safetensors} (the weight file format),
 * {@code gpt2} (the checkpoint's config and tensor names) and {@code sampling} (options, token choice, samples).
 */
package io.prefpipe.optimizer.model;
