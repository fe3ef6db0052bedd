package io.prefpipe.optimizer.model.gpt2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tensors of a GPT-2 language model in {@code model.safetensors}, by the names transformers gives them.
 *
 * <pre>
 *   wte.weight (V, C)   wpe.weight (L, C)   ln_f.{weight,bias} (C)
 *   h.{i}.ln_1.{weight,bias} (C)            h.{i}.ln_2.{weight,bias} (C)
 *   h.{i}.attn.c_attn.weight (C, 3C)  .bias (3C)      h.{i}.attn.c_proj.weight (C, C)  .bias (C)
 *   h.{i}.mlp.c_fc.weight (C, M)      .bias (M)       h.{i}.mlp.c_proj.weight (M, C)   .bias (C)
 * </pre>
 *
 * <p>The {@code c_*} projections are transformers' {@code Conv1D}: y = x W + b with W stored (in, out), the transpose
 * of a DJL {@code Linear} weight. Names are <em>canonical</em> here, without the {@code transformer.} prefix that
 * {@code GPT2LMHeadModel.save_pretrained} writes in most versions. The output head is tied to {@code wte}, so no
 * {@code lm_head.weight} is needed; the causal-mask buffers {@code attn.bias} and {@code attn.masked_bias} of older
 * versions carry no parameters.
 */
public final class Gpt2Weights {

    /** The file name in a model folder. */
    public static final String FILE_NAME = "model.safetensors";
    /** The prefix of {@code GPT2LMHeadModel}'s state dict, which this package writes. */
    public static final String PREFIX = "transformer.";

    private static final Pattern IGNORED =
            Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)|lm_head\\.weight");
    private static final Pattern CONV1D_WEIGHT = Pattern.compile("h\\.\\d+\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc"
            + "|mlp\\.c_proj)\\.weight");

    private Gpt2Weights() {}

    /** Every tensor a model of {@code config} needs, by canonical name, with its stored shape. */
    public static Map<String, long[]> expectedShapes(Gpt2Config config) {
        long c = config.width();
        long m = config.innerWidth();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("wte.weight", new long[] {config.vocabSize(), c});
        shapes.put("wpe.weight", new long[] {config.contextLength(), c});
        for (int i = 0; i < config.layers(); i++) {
            String h = "h." + i + ".";
            shapes.put(h + "ln_1.weight", new long[] {c});
            shapes.put(h + "ln_1.bias", new long[] {c});
            shapes.put(h + "attn.c_attn.weight", new long[] {c, 3 * c});
            shapes.put(h + "attn.c_attn.bias", new long[] {3 * c});
            shapes.put(h + "attn.c_proj.weight", new long[] {c, c});
            shapes.put(h + "attn.c_proj.bias", new long[] {c});
            shapes.put(h + "ln_2.weight", new long[] {c});
            shapes.put(h + "ln_2.bias", new long[] {c});
            shapes.put(h + "mlp.c_fc.weight", new long[] {c, m});
            shapes.put(h + "mlp.c_fc.bias", new long[] {m});
            shapes.put(h + "mlp.c_proj.weight", new long[] {m, c});
            shapes.put(h + "mlp.c_proj.bias", new long[] {c});
        }
        shapes.put("ln_f.weight", new long[] {c});
        shapes.put("ln_f.bias", new long[] {c});
        return Collections.unmodifiableMap(shapes);
    }

    /** The canonical name of a stored tensor name: without the {@value #PREFIX} prefix. */
    public static String canonical(String stored) {
        return stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
    }

    /** Whether a canonical name is one a loader skips: a mask buffer, or the head tied to {@code wte}. */
    public static boolean isIgnored(String canonical) {
        return IGNORED.matcher(canonical).matches();
    }

    /** Whether a canonical name is a {@code Conv1D} weight, stored (in, out). */
    public static boolean isConv1dWeight(String canonical) {
        return CONV1D_WEIGHT.matcher(canonical).matches();
    }
}
