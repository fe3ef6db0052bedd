package io.prefpipe.optimizer.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}, e.g. GPT-2's byte-level BPE) run by DJL's binding of the Rust
 * {@code tokenizers} library. The native library ships inside the DJL jar and is unpacked into DJL's engine cache
 * ({@code ENGINE_CACHE_DIR}), so nothing is downloaded.
 *
 * <p>Truncation and padding are off: the caller decides what to cut (DJL would otherwise truncate to 512 tokens
 * silently). Keeps the JSON so that {@link #copy()} and {@link #write(Path)} do not depend on the source file. Holds
 * native memory: close it. Not thread-safe.
 */
public final class HfTokenizer implements Tokenizer {

    /** The file name of a Hugging Face tokenizer in a model folder. */
    public static final String FILE_NAME = "tokenizer.json";

    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] json;
    private final int vocabularySize;
    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(byte[] json, int vocabularySize, HuggingFaceTokenizer tokenizer) {
        this.json = json;
        this.vocabularySize = vocabularySize;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @throws IOException if the file cannot be read or the library rejects it; the message names the file
     */
    public static HfTokenizer load(Path tokenizerJson) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("no tokenizer at " + tokenizerJson);
        }
        try {
            return fromJson(Files.readAllBytes(tokenizerJson));
        } catch (IOException e) {
            throw new IOException("cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * A tokenizer from the content of a {@code tokenizer.json}.
     *
     * @throws IOException if the library rejects it
     */
    public static HfTokenizer fromJson(byte[] json) throws IOException {
        byte[] copy = json.clone();
        int vocabularySize = vocabularySize(MAPPER.readTree(copy));
        try {
            return new HfTokenizer(copy, vocabularySize,
                    HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(copy), OPTIONS));
        } catch (RuntimeException e) {
            // the binding reports a malformed file as an unchecked exception from native code
            throw new IOException("the tokenizers library rejected the tokenizer: " + e.getMessage(), e);
        }
    }

    /**
     * One more than the largest id of the model's vocabulary ({@code model.vocab}, an object of token → id for BPE
     * and WordPiece, a list for Unigram) and of {@code added_tokens}; the binding does not expose it.
     */
    private static int vocabularySize(JsonNode root) throws IOException {
        JsonNode vocab = root.path("model").path("vocab");
        int size;
        if (vocab.isObject()) {
            size = 0;
            for (JsonNode id : vocab) {
                size = Math.max(size, id.asInt() + 1);
            }
        } else if (vocab.isArray()) {
            size = vocab.size();
        } else {
            throw new IOException("the tokenizer has no model.vocab");
        }
        for (JsonNode added : root.path("added_tokens")) {
            size = Math.max(size, added.path("id").asInt() + 1);
        }
        return size;
    }

    /** A new native instance of the same tokenizer, closed separately. */
    public HfTokenizer copy() {
        try {
            return fromJson(json);
        } catch (IOException e) {
            throw new IllegalStateException("a tokenizer that loaded once failed to load again", e);
        }
    }

    /** Writes the {@code tokenizer.json} to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        Files.write(file, json);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int[] encode(String text) {
        return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public String decode(int[] ids) {
        // the library would skip unknown ids silently
        for (int id : ids) {
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.."
                        + (vocabularySize - 1));
            }
        }
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
