package io.prefpipe.optimizer.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch operators that DJL's API does not reach (fused kernels such as {@code torch.gelu(x, approximate="tanh")}
 * or {@code torch._fused_adamw_}), called through a TorchScript module of one stateless class whose methods are
 * given as TorchScript source. The module is written in memory in the archive layout of {@code torch.jit.save} (the
 * class's source, the pickled module object, no tensors) and loaded by the engine, which compiles every method.
 *
 * <p>A method runs under the caller's autograd mode when called with {@code training} true through DJL's {@code
 * IValueUtils}, so it records a backward node while training like any other op; with {@code training} false it runs
 * in inference mode.
 */
public final class TorchScriptModule {

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
    /** An empty tuple: the module has no constants. */
    private static final byte[] CONSTANTS_PICKLE = {(byte) 0x80, 2, ')', '.'};
    /** The first TorchScript file format whose {@code gelu} takes {@code approximate} as a string. */
    private static final String FORMAT_VERSION = "10\n";

    private TorchScriptModule() {}

    /**
     * Compiles and loads a module of class {@code className} whose methods are {@code methods}: TorchScript
     * definitions starting in the first column, each method's first parameter {@code self: __torch__.<className>}. The
     * module lives as long as the engine: load each module once per JVM.
     *
     * @throws IllegalArgumentException if {@code className} is not a capitalised identifier
     * @throws UncheckedIOException if the engine rejects the source, with its message
     */
    public static PtSymbolBlock load(String className, String methods) {
        if (!CLASS_NAME.matcher(className).matches()) {
            throw new IllegalArgumentException("className must be a capitalised identifier, got " + className);
        }
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods.indent(2);
        try {
            // the module holds no tensors, so its manager only names a device; neither is ever closed
            PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
            return JniUtils.loadModule(manager, new ByteArrayInputStream(archive(className, source)), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("loading the TorchScript module " + className + " failed", e);
        }
    }

    private static byte[] archive(String className, String source) throws IOException {
        String folder = className.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, folder + "/data.pkl", modulePickle(className));
            stored(zip, folder + "/code/__torch__.py", ascii(source));
            stored(zip, folder + "/constants.pkl", CONSTANTS_PICKLE);
            stored(zip, folder + "/.data/version", ascii(FORMAT_VERSION));
            stored(zip, folder + "/byteorder", ascii("little"));
        }
        return bytes.toByteArray();
    }

    /** The module object, pickled (protocol 2): {@code <className>.__new__()} with state {@code {"training": False}}. */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 2});
        out.writeBytes(ascii("c__torch__\n" + className + "\n"));
        out.writeBytes(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0});
        out.writeBytes(ascii("training"));
        out.writeBytes(new byte[] {(byte) 0x89, 's', 'b', '.'});
        return out.toByteArray();
    }

    /** As {@code torch.jit.save} writes them: uncompressed, under one top-level folder. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
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
}
