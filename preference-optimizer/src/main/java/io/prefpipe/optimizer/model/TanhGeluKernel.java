package io.prefpipe.optimizer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * GELU's tanh approximation as PyTorch's own kernel, {@code torch.gelu(x, approximate="tanh")}, which DJL's API does
 * not reach: its {@code gelu} is the exact one. Spelled out in DJL ops the approximation takes eight elementwise passes
 * forward and about twice that backward, each allocating an activation-sized array; in a GPT-2-shaped block that took
 * about as long as all the block's matmuls together. The fused kernel is one pass each way, and is what PyTorch runs for it.
 *
 * <p>The kernel is reached through a one-method TorchScript module that this class writes in memory (the archive
 * layout of {@code torch.jit.save}: the method's source, the pickled module object, no tensors) and loads once per
 * JVM. Its method runs under the caller's autograd mode like any other op, so it records a backward node while
 * training and nothing otherwise.
 */
final class TanhGeluKernel {

    private static final String ARCHIVE = "tanh_gelu";
    private static final String SOURCE = """
            class TanhGelu(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.TanhGelu,
                x: Tensor) -> Tensor:
                return torch.gelu(x, approximate="tanh")
            """;
    /** The module object, pickled (protocol 2): {@code TanhGelu.__new__()} with state {@code {"training": False}}. */
    private static final byte[] MODULE_PICKLE = concat(
            new byte[] {(byte) 0x80, 2},
            ascii("c__torch__\nTanhGelu\n"),
            new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0},
            ascii("training"),
            new byte[] {(byte) 0x89, 's', 'b', '.'});
    /** An empty tuple: the module has no constants. */
    private static final byte[] CONSTANTS_PICKLE = {(byte) 0x80, 2, ')', '.'};
    /** The first TorchScript file format whose {@code gelu} takes {@code approximate} as a string. */
    private static final String FORMAT_VERSION = "10\n";

    private TanhGeluKernel() {}

    /** {@code torch.gelu(x, approximate="tanh")}; the result lives in {@code x}'s manager. */
    static NDArray apply(NDArray x) {
        // "training" here means: do not force no-grad; whether a graph is recorded is up to the caller's collector
        return IValueUtils.forward(Holder.MODULE, new NDList(x), true).singletonOrThrow();
    }

    /** Loads the module on first use; it lives as long as the engine. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = load();

        private static PtSymbolBlock load() {
            try {
                // the module holds no tensors, so its manager only names a device; neither is ever closed
                PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
                return JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), true, false);
            } catch (IOException e) {
                throw new UncheckedIOException("loading the TorchScript module of the tanh GELU failed", e);
            }
        }
    }

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "data.pkl", MODULE_PICKLE);
            stored(zip, "code/__torch__.py", ascii(SOURCE));
            stored(zip, "constants.pkl", CONSTANTS_PICKLE);
            stored(zip, ".data/version", ascii(FORMAT_VERSION));
            stored(zip, "byteorder", ascii("little"));
        }
        return bytes.toByteArray();
    }

    /** As {@code torch.jit.save} writes them: uncompressed, under one top-level folder. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(ARCHIVE + "/" + name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
