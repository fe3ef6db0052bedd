/**
 * Text to token ids and back: the {@link io.prefpipe.optimizer.model.tokenizer.Tokenizer} abstraction and {@link
 * io.prefpipe.optimizer.model.tokenizer.HfTokenizer}, which runs a Hugging Face {@code tokenizer.json} through DJL's
 * native binding of the Rust {@code tokenizers} library.
 */
package io.prefpipe.optimizer.model.tokenizer;
