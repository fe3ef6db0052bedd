package io.prefpipe.optimizer.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 fingerprints of data that training runs and caches must match on. */
public final class Digests {
    private Digests() {}

    /**
     * SHA-256 in hex over the count of {@code values}, then each value length-prefixed in UTF-8, so that no two
     * different sequences of strings hash the same bytes.
     */
    public static String sha256(List<String> values) {
        MessageDigest sha256 = newSha256();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha256)))) {
            out.writeInt(values.size());
            for (String value : values) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException("hashing in memory failed", e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** A new SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
