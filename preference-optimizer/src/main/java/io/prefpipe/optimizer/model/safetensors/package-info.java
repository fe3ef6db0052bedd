/**
 * The safetensors file format (an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
 * and byte range, then the raw little-endian data): {@link io.prefpipe.optimizer.model.safetensors.SafeTensorsFile}
 * reads F32, F16 and BF16 tensors as float32, {@link io.prefpipe.optimizer.model.safetensors.SafeTensorsWriter} writes
 * F32. Pure Java over Jackson; no engine involved.
 */
package io.prefpipe.optimizer.model.safetensors;
