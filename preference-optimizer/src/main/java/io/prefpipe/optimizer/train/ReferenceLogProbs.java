package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.internal.AtomicFiles;
import io.prefpipe.optimizer.internal.Digests;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.model.SequenceLogProb;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frozen reference policy's log-probabilities of every chosen and rejected response of a data set. The reference
 * never changes during preference optimization, so they are computed once, before the first step, and can be cached
 * in a file beside the snapshot: {@link #cached} keeps one file per set of examples (named after a SHA-256 {@link
 * #digest} of their ids and texts, in order, so the training and held-out pairs of one snapshot have one each), reuses
 * it when it was written for the same reference (a SHA-256 {@link #fingerprint} of its shape and parameters), and
 * recomputes and replaces it otherwise. Immutable.
 */
public final class ReferenceLogProbs {

    /** Cache files are named this, the first 16 hex digits of the examples' digest, and {@code .bin}. */
    public static final String FILE_PREFIX = "reference-logprobs-";

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceLogProbs.class);
    private static final int FORMAT_MAGIC = 0x5050524c; // "PPRL"
    private static final int FORMAT_VERSION = 1;

    private final String referenceFingerprint;
    private final String examplesDigest;
    private final float[] chosen;
    private final float[] rejected;

    private ReferenceLogProbs(String referenceFingerprint, String examplesDigest, float[] chosen, float[] rejected) {
        this.referenceFingerprint = referenceFingerprint;
        this.examplesDigest = examplesDigest;
        this.chosen = chosen;
        this.rejected = rejected;
    }

    /**
     * Scores every example's chosen and rejected response with {@code reference}, without gradients.
     *
     * @throws IllegalArgumentException if there are no examples
     */
    public static ReferenceLogProbs score(PolicyModel reference, List<PreferenceExample> examples) {
        return score(reference, fingerprint(reference), examples);
    }

    private static ReferenceLogProbs score(PolicyModel reference, String fingerprint,
            List<PreferenceExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no preference examples");
        }
        long start = System.nanoTime();
        List<SequenceLogProb> chosen = reference.logProbs(examples.stream()
                .map(e -> new PromptResponse(e.prompt(), e.chosen())).toList());
        List<SequenceLogProb> rejected = reference.logProbs(examples.stream()
                .map(e -> new PromptResponse(e.prompt(), e.rejected())).toList());
        int n = examples.size();
        float[] chosenValues = new float[n];
        float[] rejectedValues = new float[n];
        for (int i = 0; i < n; i++) {
            chosenValues[i] = (float) chosen.get(i).logProb();
            rejectedValues[i] = (float) rejected.get(i).logProb();
        }
        LOG.info("reference log-probabilities of {} responses in {} ms", 2 * n,
                (System.nanoTime() - start) / 1_000_000);
        return new ReferenceLogProbs(fingerprint, digest(examples), chosenValues, rejectedValues);
    }

    /**
     * The log-probabilities of {@code examples} under {@code reference}, from the cache file of these examples in
     * {@code dir} when it was written for this reference; otherwise scored and written there (atomically, replacing a
     * stale file).
     */
    public static ReferenceLogProbs cached(Path dir, PolicyModel reference, List<PreferenceExample> examples)
            throws IOException {
        String fingerprint = fingerprint(reference);
        return cached(dir, fingerprint, examples, () -> score(reference, fingerprint, examples));
    }

    /** {@link #cached(Path, PolicyModel, List)} with the scoring given, so tests can count it. */
    static ReferenceLogProbs cached(Path dir, String fingerprint, List<PreferenceExample> examples,
            Supplier<ReferenceLogProbs> scorer) throws IOException {
        String digest = digest(examples);
        Path file = dir.resolve(FILE_PREFIX + digest.substring(0, 16) + ".bin");
        Optional<ReferenceLogProbs> stored = read(file);
        if (stored.isPresent() && stored.get().referenceFingerprint.equals(fingerprint)
                && stored.get().examplesDigest.equals(digest)) {
            LOG.info("reference log-probabilities of {} pairs read from {}", examples.size(), file);
            return stored.get();
        }
        ReferenceLogProbs scored = scorer.get();
        if (!scored.referenceFingerprint.equals(fingerprint) || !scored.examplesDigest.equals(digest)) {
            throw new IllegalStateException("the scorer returned log-probabilities of another reference or data");
        }
        AtomicFiles.writeFile(file, scored::write);
        LOG.info("reference log-probabilities of {} pairs written to {}", examples.size(), file);
        return scored;
    }

    private void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(FORMAT_MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(referenceFingerprint);
        out.writeUTF(examplesDigest);
        out.writeInt(chosen.length);
        for (int i = 0; i < chosen.length; i++) {
            out.writeFloat(chosen[i]);
            out.writeFloat(rejected[i]);
        }
        out.flush();
    }

    /** The cache in {@code file}, or empty when there is none or it is not one this build reads. */
    private static Optional<ReferenceLogProbs> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream stream = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
            if (in.readInt() != FORMAT_MAGIC || in.readInt() != FORMAT_VERSION) {
                LOG.warn("{} is not a reference log-probability cache of this version; recomputing it", file);
                return Optional.empty();
            }
            String fingerprint = in.readUTF();
            String digest = in.readUTF();
            int n = in.readInt();
            float[] chosen = new float[n];
            float[] rejected = new float[n];
            for (int i = 0; i < n; i++) {
                chosen[i] = in.readFloat();
                rejected[i] = in.readFloat();
            }
            return Optional.of(new ReferenceLogProbs(fingerprint, digest, chosen, rejected));
        } catch (EOFException e) {
            LOG.warn("{} is truncated; recomputing it", file);
            return Optional.empty();
        }
    }

    /** SHA-256 over a policy's config and parameters, in hex: equal for a policy and its frozen copies. */
    public static String fingerprint(PolicyModel model) {
        MessageDigest sha256 = Digests.newSha256();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha256)))) {
            byte[] config = model.config().toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(config.length);
            out.write(config);
            model.saveParameters(out);
        } catch (IOException e) {
            throw new IllegalStateException("hashing parameters in memory failed", e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** SHA-256 over the examples' pair ids, prompts and responses, in order, in hex. */
    public static String digest(List<PreferenceExample> examples) {
        List<String> fields = new ArrayList<>(4 * examples.size());
        for (PreferenceExample e : examples) {
            fields.add(e.pairId());
            fields.add(e.prompt());
            fields.add(e.chosen());
            fields.add(e.rejected());
        }
        return Digests.sha256(fields);
    }

    /** The {@link #fingerprint} of the reference these come from. */
    public String referenceFingerprint() {
        return referenceFingerprint;
    }

    /** The {@link #digest} of the examples these belong to. */
    public String examplesDigest() {
        return examplesDigest;
    }

    /** Number of examples. */
    public int size() {
        return chosen.length;
    }

    /** log π_ref(chosen | prompt) of the examples at {@code indices}. */
    public float[] chosen(int[] indices) {
        return gather(chosen, indices);
    }

    /** log π_ref(rejected | prompt) of the examples at {@code indices}. */
    public float[] rejected(int[] indices) {
        return gather(rejected, indices);
    }

    private static float[] gather(float[] values, int[] indices) {
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    /**
     * @throws IllegalArgumentException if these log-probabilities belong to other examples
     */
    void requireFor(List<PreferenceExample> examples) {
        Objects.requireNonNull(examples, "examples");
        if (!examplesDigest.equals(digest(examples))) {
            throw new IllegalArgumentException("the reference log-probabilities were computed for other examples ("
                    + size() + " pairs, digest " + examplesDigest + ") than the " + examples.size() + " given");
        }
    }
}
