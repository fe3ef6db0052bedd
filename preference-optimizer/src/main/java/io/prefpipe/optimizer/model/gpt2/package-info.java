/**
 * The Hugging Face GPT-2 checkpoint layout: the {@code config.json} fields a policy needs ({@link
 * io.prefpipe.optimizer.model.gpt2.Gpt2Config}) and the tensor names of {@code model.safetensors} ({@link
 * io.prefpipe.optimizer.model.gpt2.Gpt2Weights}). Knows nothing of DJL; {@link
 * io.prefpipe.optimizer.model.PolicyModel} maps these onto its blocks.
 */
package io.prefpipe.optimizer.model.gpt2;
