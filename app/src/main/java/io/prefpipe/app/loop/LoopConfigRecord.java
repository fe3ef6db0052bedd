package io.prefpipe.app.loop;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings a loop's results depend on, recorded in {@value #FILE_NAME} beside its journal, so that a later run of
 * the same folder with other values is caught instead of silently mixing checkpoints trained one way with ones trained
 * another.
 *
 * <p>Every setting counts except those in {@link #FREE}: where and when the loop runs (its folder, the broker's address,
 * the output topics, the curation job's group id, checkpoint interval, parallelism, Flink settings and checkpoint folder, whether the
 * loop runs the job or attaches to it, and the schedule), which may change between runs. A setting added to
 * {@link LoopConfig} later counts unless it is added there. Values are compared as read (defaults filled in, durations
 * and paths normalized), so {@code 30s} and {@code PT30S}, or a relative and an absolute spelling of one folder, are the
 * same value.
 *
 * @param fingerprint SHA-256 of {@code values} (one {@code key=value} line each, sorted by key)
 * @param values the settings that count, by their YAML key
 * @param since the first iteration known to have run on the first recorded values: 1, or for a loop folder from before
 *     this record existed, the iteration it was first recorded at
 * @param changes the changes accepted since ({@code --accept-config-change}), oldest first
 */
public record LoopConfigRecord(String fingerprint, Map<String, String> values, int since, List<Change> changes) {
    public static final String FILE_NAME = "loop-config.json";

    /** The settings that may change between runs of a loop folder, by YAML key. */
    public static final Set<String> FREE = Set.of("dir", "kafka.bootstrap", "kafka.topics.dead-letters",
            "kafka.topics.pairs", "kafka.topics.annotators", "kafka.topics.checkpoints", "kafka.topics.candidates",
            "curation.run", "curation.checkpoint-dir", "curation.group-id", "curation.checkpoint-interval",
            "curation.parallelism", "curation.flink", "schedule.every-pairs", "schedule.every", "schedule.min-pairs",
            "schedule.after-candidates", "schedule.poll");

    /** Record components whose YAML key is not their path in kebab case. */
    private static final Map<String, String> YAML_KEYS = Map.of("curation.flink-settings", "curation.flink",
            "initial-policy", "policy.initial",
            "reference", "policy.reference", "schedule.candidate-share", "schedule.after-candidates",
            "schedule.poll-interval", "schedule.poll");

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A change accepted on a resume.
     *
     * @param iteration the first iteration that ran (some of its steps) on the new values
     * @param fromStep that iteration's first step on the new values (its earlier steps ran on the old ones)
     * @param accepted when
     * @param changed the old and new value of each setting that changed, by YAML key
     */
    public record Change(int iteration, LoopStep fromStep, Instant accepted, Map<String, ValueChange> changed) {
        public Change {
            Objects.requireNonNull(fromStep, "fromStep");
            Objects.requireNonNull(accepted, "accepted");
            changed = Collections.unmodifiableMap(new TreeMap<>(changed));
        }

        /** {@code iteration 3 (from cut_snapshot): optimize.beta 0.1 -> 0.2, ...}, sorted by key. */
        public String describe() {
            StringBuilder s = new StringBuilder("iteration " + iteration + " (from "
                    + fromStep.name().toLowerCase(Locale.ROOT) + "):");
            changed.forEach((key, v) -> s.append(' ').append(key).append(' ').append(v.from())
                    .append(" -> ").append(v.to()).append(';'));
            s.setLength(s.length() - 1);
            return s.toString();
        }
    }

    /** A setting's old and new value. */
    public record ValueChange(String from, String to) {}

    public LoopConfigRecord {
        Objects.requireNonNull(fingerprint, "fingerprint");
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        changes = List.copyOf(changes);
    }

    /**
     * Compares {@code config} with what the loop folder {@code dir} recorded, before a run: records it if nothing was
     * recorded yet (a new loop, or a folder from before this record existed), and returns the record in force.
     *
     * @param acceptChange whether a changed setting that counts is accepted (and recorded as a {@link Change})
     * @throws LoopRefusedException listing each changed setting with its old and new value, if one changed and
     *     {@code acceptChange} is false; nothing is written then
     */
    public static LoopConfigRecord reconcile(Path dir, LoopConfig config, boolean acceptChange, Clock clock,
            PrintStream console) throws IOException {
        Map<String, String> now = values(config);
        Path file = dir.resolve(FILE_NAME);
        Optional<IterationRecord> latest = LoopJournal.open(dir).latest();
        int next = latest.map(r -> r.isComplete() ? r.iteration() + 1 : r.iteration()).orElse(1);
        LoopStep nextStep = latest.filter(r -> !r.isComplete()).map(IterationRecord::nextStep)
                .orElse(LoopStep.values()[0]);
        Optional<LoopConfigRecord> recorded = read(file);
        if (latest.isEmpty() || recorded.isEmpty()) {
            // no iteration ran yet (a record from a start that failed before one is void), or a folder of an older
            // version: what ran before is unknown, so the record starts here
            LoopConfigRecord record = new LoopConfigRecord(fingerprint(now), now, next, List.of());
            if (latest.isPresent()) {
                console.printf("config: %s had no record of the loop's settings; recorded them as of iteration %d%n",
                        dir, next);
            }
            return record.write(file);
        }
        LoopConfigRecord old = recorded.get();
        if (old.fingerprint().equals(fingerprint(now))) {
            return old;
        }
        Map<String, ValueChange> changed = new TreeMap<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String before = old.values().get(e.getKey());
            // a setting the record lacks came with a newer version of prefpipe: it has no old value to differ from
            if (before != null && !before.equals(e.getValue())) {
                changed.put(e.getKey(), new ValueChange(before, e.getValue()));
            }
        }
        if (changed.isEmpty()) {
            return new LoopConfigRecord(fingerprint(now), now, old.since(), old.changes()).write(file);
        }
        if (!acceptChange) {
            StringBuilder m = new StringBuilder("the loop in " + dir + " ran with other values of settings its"
                    + " results depend on (recorded in " + file + "):");
            changed.forEach((key, v) -> m.append("\n  ").append(key).append(": ").append(v.from()).append(" -> ")
                    .append(v.to()));
            m.append("\nrestore ").append(changed.size() == 1 ? "it" : "them").append(" in the config, give a new loop"
                    + " another dir, or pass --accept-config-change to go on with the new values from iteration ")
                    .append(next).append(" (the change is recorded there and in the checkpoints' lineage)");
            throw new LoopRefusedException(m.toString());
        }
        Change change = new Change(next, nextStep, clock.instant(), changed);
        List<Change> changes = new ArrayList<>(old.changes());
        changes.add(change);
        console.println("config: accepted a change of the loop's settings from " + change.describe());
        return new LoopConfigRecord(fingerprint(now), now, old.since(), changes).write(file);
    }

    /** The changes in force at {@code iteration}, oldest first, as {@link Change#describe()} puts them. */
    public List<String> changesUpTo(int iteration) {
        return changes.stream().filter(c -> c.iteration() <= iteration).map(Change::describe).toList();
    }

    /** The settings of {@code config} that count (every one not in {@link #FREE}), by YAML key, sorted. */
    public static Map<String, String> values(LoopConfig config) {
        Map<String, String> all = new TreeMap<>();
        flatten("", LoopConfig.class, config, all);
        all.keySet().removeAll(FREE);
        return all;
    }

    /** SHA-256 of one {@code key=value} line per entry, sorted by key. */
    public static String fingerprint(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Every setting of {@code value} (a record of type {@code type}, or null: an absent optional section, whose
     * settings read as {@code none}) by YAML key.
     */
    private static void flatten(String path, Class<?> type, Object value, Map<String, String> out) {
        if (!type.isRecord()) {
            out.put(yamlKey(path), text(value));
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            Object component;
            try {
                component = value == null ? null : c.getAccessor().invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + c.getName(), e);
            }
            flatten((path.isEmpty() ? "" : path + ".") + kebab(c.getName()), c.getType(), component, out);
        }
    }

    private static String yamlKey(String path) {
        String mapped = YAML_KEYS.get(path);
        if (mapped != null) {
            return mapped;
        }
        if (path.startsWith("kafka.") && !path.equals("kafka.bootstrap")) {
            return "kafka.topics." + path.substring("kafka.".length());
        }
        return path;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String text(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Path p) {
            return p.toAbsolutePath().normalize().toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Duration d) {
            return d.toString();
        }
        return value.toString();
    }

    private static Optional<LoopConfigRecord> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), LoopConfigRecord.class));
        } catch (IOException e) {
            throw new IOException("cannot read the loop's config record " + file + ": " + e.getMessage()
                    + " (delete it to record the current config afresh)", e);
        }
    }

    private LoopConfigRecord write(Path file) throws IOException {
        AtomicFiles.writeFile(file, out -> JSON.writeValue(out, this));
        return this;
    }
}
