package io.prefpipe.ingestion.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * Ids derived from content, so the same content always gets the same id whichever file or line it arrives from.
 * Each is a prefix and the first 128 bits of a SHA-256, in hex.
 */
public final class ContentIds {
    private ContentIds() {}

    /**
     * The id of the comparison of {@code responseTexts} under {@code prompt}. The texts are sorted first, so the id
     * does not depend on the order in which a source lists the responses.
     */
    public static String comparisonId(String prompt, Collection<String> responseTexts) {
        List<String> parts = new ArrayList<>(responseTexts.size() + 1);
        parts.add(prompt);
        responseTexts.stream().sorted().forEach(parts::add);
        return "c-" + digest(parts);
    }

    /**
     * A 32-hex-digit digest of {@code parts}. Each part is length-prefixed, so no choice of separator can make two
     * different lists collide.
     */
    public static String digest(List<String> parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            md.update(bytes);
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }
}
