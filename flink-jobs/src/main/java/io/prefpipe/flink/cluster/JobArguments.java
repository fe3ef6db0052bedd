package io.prefpipe.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The job jar's settings: every {@link CurationJobOptions} key as {@code --key VALUE}, from the command line and from
 * an optional {@code --config FILE} (properties, or YAML whose nested keys join with dots, e.g. {@code estimator:
 * window-votes: 50000}); the command line wins. Where the snapshot goes is given either exactly
 * ({@code --snapshot-dir URI}) or as the folder that receives it ({@code --snapshots URI}, the snapshot then being
 * {@code <snapshots>/<snapshot-id>}, by default {@code snapshot-<UTC time>}).
 *
 * <p>{@code checkpoint-dir} and {@code resume-from} are URIs here, which go into the job's Flink configuration
 * ({@code execution.checkpointing.dir} and {@code execution.state-recovery.path}).
 *
 * @param options the curation options by key, as given, for {@link CurationJobOptions#toConfig}; without
 *     {@code checkpoint-dir} and {@code resume-from}, and with {@code snapshot-dir} and {@code snapshot-id} resolved
 * @param checkpointDir the checkpoint folder, or empty for the cluster's own
 * @param resumeFrom a checkpoint or savepoint to restore from, or empty
 * @param help whether usage help was asked for (then nothing else is set)
 */
record JobArguments(Map<String, String> options, Optional<URI> checkpointDir, Optional<URI> resumeFrom,
        boolean help) {
    static final String SNAPSHOTS = "snapshots";
    static final String CONFIG = "config";
    /** Short names for the settings every run gives. */
    private static final Map<String, String> ALIASES = Map.of(
            "bootstrap", CurationJobOptions.BOOTSTRAP_SERVERS.key());
    private static final DateTimeFormatter SNAPSHOT_ID =
            DateTimeFormatter.ofPattern("'snapshot-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    JobArguments {
        options = Map.copyOf(options);
    }

    /**
     * Parses the command line, reading the configuration file it names.
     *
     * @param now the time a default snapshot id is made of
     * @throws IllegalArgumentException naming the option, if an option is unknown or lacks its value, the file cannot
     *     be read or holds an unknown key, or the snapshot's folder is given twice or not at all
     */
    static JobArguments parse(Instant now, String... args) {
        ParseResult parsed;
        try {
            parsed = new CommandLine(spec()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (see --help)", e);
        }
        if (parsed.isUsageHelpRequested()) {
            return new JobArguments(Map.of(), Optional.empty(), Optional.empty(), true);
        }
        Map<String, String> values = new TreeMap<>();
        String configFile = parsed.matchedOptionValue("--" + CONFIG, null);
        if (configFile != null) {
            values.putAll(readFile(configFile));
        }
        for (OptionSpec o : parsed.matchedOptions()) {
            String key = canonical(o.longestName().substring(2));
            if (!key.equals(CONFIG)) {
                values.put(key, o.getValue());
            }
        }
        return resolve(values, now);
    }

    /** The usage help: every option with its default and meaning. */
    static String usage() {
        StringWriter out = new StringWriter();
        new CommandLine(spec()).usage(new PrintWriter(out));
        return out.toString();
    }

    private static JobArguments resolve(Map<String, String> values, Instant now) {
        Optional<URI> checkpointDir = Optional.ofNullable(values.remove(CurationJobOptions.CHECKPOINT_DIR.key()))
                .map(v -> Locations.parse(CurationJobOptions.CHECKPOINT_DIR.key(), v));
        Optional<URI> resumeFrom = Optional.ofNullable(values.remove(CurationJobOptions.RESUME_FROM.key()))
                .map(v -> Locations.parse(CurationJobOptions.RESUME_FROM.key(), v));
        String snapshots = values.remove(SNAPSHOTS);
        String snapshotDir = CurationJobOptions.SNAPSHOT_DIR.key();
        String snapshotId = CurationJobOptions.SNAPSHOT_ID.key();
        if (snapshots != null && values.containsKey(snapshotDir)) {
            throw new IllegalArgumentException("give " + SNAPSHOTS + " (the folder that receives the snapshot) or "
                    + snapshotDir + " (the snapshot's own folder), not both");
        }
        if (snapshots == null && !values.containsKey(snapshotDir)) {
            throw new IllegalArgumentException(SNAPSHOTS + " is required: the folder (a path or a URI such as "
                    + "s3://bucket/snapshots) that receives the snapshot folder; or give " + snapshotDir);
        }
        if (snapshots != null) {
            boolean bounded = Boolean.parseBoolean(values.getOrDefault(CurationJobOptions.BOUNDED.key(),
                    CurationJobOptions.BOUNDED.defaultValue().toString()));
            if (!bounded && !values.containsKey(snapshotId)) {
                throw new IllegalArgumentException(snapshotId + " is required with " + SNAPSHOTS + " when bounded is "
                        + "false: an unbounded job is restored from its savepoints into the same snapshot folder, so "
                        + "the folder's name must not depend on when the job starts");
            }
            String id = values.computeIfAbsent(snapshotId, k -> SNAPSHOT_ID.format(now));
            URI parent = Locations.parse(SNAPSHOTS, snapshots);
            values.put(snapshotDir, new Path(new Path(parent), id).toUri().toString());
        }
        return new JobArguments(values, checkpointDir, resumeFrom, false);
    }

    /** A properties or YAML file, on any file system Flink can read, as option values by key. */
    private static Map<String, String> readFile(String file) {
        URI location = Locations.parse(CONFIG, file);
        boolean yaml = file.endsWith(".yaml") || file.endsWith(".yml");
        Map<String, String> values = new LinkedHashMap<>();
        try {
            if (yaml) {
                JsonNode root = FlinkFiles.read(new Path(location), new ObjectMapper(new YAMLFactory())::readTree);
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new IllegalArgumentException(CONFIG + " file " + file + " must hold a map of options");
                    }
                    flatten("", root, values, file);
                }
            } else {
                Properties p = new Properties();
                FlinkFiles.read(new Path(location), in -> {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                    return p;
                });
                p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(CONFIG + " file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        Set<String> known = knownKeys();
        values.forEach((k, v) -> {
            String key = canonical(k);
            if (!known.contains(key) || key.equals(CONFIG)) {
                throw new IllegalArgumentException("unknown option '" + k + "' in " + CONFIG + " file " + file
                        + "; known: " + new TreeSet<>(known));
            }
            canonical.put(key, v);
        });
        return canonical;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, String file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, into, file);
            } else if (value.isValueNode() && !value.isNull()) {
                into.put(key, value.asText());
            } else {
                throw new IllegalArgumentException("option '" + key + "' in " + CONFIG + " file " + file
                        + " must have a single value, got " + value);
            }
        }
    }

    private static String canonical(String key) {
        return ALIASES.getOrDefault(key, key);
    }

    private static Set<String> knownKeys() {
        Set<String> keys = new HashSet<>(ALIASES.keySet());
        CurationJobOptions.all().forEach(o -> keys.add(o.key()));
        keys.add(SNAPSHOTS);
        keys.add(CONFIG);
        return keys;
    }

    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("flink run prefpipe-flink-jobs.jar");
        spec.usageMessage().description(
                "The prefpipe curation job: reads feedback from Kafka, writes curated pairs exactly once to Parquet "
                        + "under the snapshot folder (any Flink file system) and to the pairs topic.",
                "Durations are written the Flink way (500 ms, 10 s, 5 min, 1 h, 7 d).");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        spec.addOption(OptionSpec.builder("--" + CONFIG).paramLabel("FILE").type(String.class)
                .description("Read options from this file first: key=value properties, or YAML (.yaml, .yml), with "
                        + "the keys below without their dashes; options on the command line win. A path or a URI.")
                .build());
        spec.addOption(OptionSpec.builder("--" + SNAPSHOTS).paramLabel("URI").type(String.class)
                .description("Folder that receives the snapshot folder <snapshots>/<snapshot-id>: a path or a URI "
                        + "such as s3://bucket/snapshots or hdfs://namenode:8020/snapshots. Required unless "
                        + "--snapshot-dir is given.")
                .build());
        for (ConfigOption<?> option : CurationJobOptions.all()) {
            List<String> names = new ArrayList<>();
            names.add("--" + option.key());
            ALIASES.forEach((alias, key) -> {
                if (key.equals(option.key())) {
                    names.add("--" + alias);
                }
            });
            OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
                    .paramLabel(label(option))
                    .type(String.class)
                    .description(text(option) + (option.hasDefaultValue()
                            ? " Default: " + defaultText(option.defaultValue()) + "." : ""));
            if (option.hasDefaultValue() && option.defaultValue() instanceof Boolean) {
                b.arity("0..1").fallbackValue("true");
            }
            spec.addOption(b.build());
        }
        return spec;
    }

    private static String label(ConfigOption<?> option) {
        Object d = option.hasDefaultValue() ? option.defaultValue() : null;
        if (d instanceof Boolean) {
            return "true|false";
        }
        if (d instanceof Duration) {
            return "DURATION";
        }
        if (d instanceof Number) {
            return "N";
        }
        if (d instanceof Enum<?> e) {
            return String.join("|", Arrays.stream(e.getDeclaringClass().getEnumConstants())
                    .map(c -> ((Enum<?>) c).name()).toList());
        }
        return option.key().endsWith("-dir") || option.key().equals("resume-from") ? "URI" : "TEXT";
    }

    /** A default as it would be written: durations the Flink way ({@code 10 s}). */
    private static String defaultText(Object value) {
        return value instanceof Duration d ? TimeUtils.formatWithHighestUnit(d) : String.valueOf(value);
    }

    private static String text(ConfigOption<?> option) {
        StringBuilder b = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement t) {
                b.append(t.getFormat());
            }
        }
        return b.toString();
    }
}
