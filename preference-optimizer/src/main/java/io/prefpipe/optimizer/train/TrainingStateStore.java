package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.internal.AtomicFiles;
import io.prefpipe.optimizer.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training states of one run under a root folder, one sub-folder per saved step ({@code step-00000042}). Each is
 * published atomically ({@link AtomicFiles#writeDirectory}): a crash while writing leaves at most a hidden temporary
 * folder, never a state folder that opens. After a new state is published the older ones, and temporary folders left
 * by a crash, are removed, so the root holds the newest state only.
 */
public final class TrainingStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingStateStore.class);
    private static final Pattern STATE_DIR = Pattern.compile("step-(\\d+)");

    /** Saves a model's parameters into a folder, as {@code PolicyModel::save} does. */
    @FunctionalInterface
    public interface ModelWriter {
        void save(Path dir) throws IOException;
    }

    private final Path root;

    public TrainingStateStore(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The folder the states are written under. */
    public Path root() {
        return root;
    }

    /**
     * Publishes the state after {@code manifest.step()}, then removes the older ones.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a state of that step exists
     */
    public TrainingState write(TrainingState.Manifest manifest, ModelWriter model, AdamW optimizer)
            throws IOException {
        Path target = root.resolve(String.format("step-%08d", manifest.step()));
        AtomicFiles.writeDirectory(target, dir -> {
            model.save(dir.resolve(TrainingState.MODEL_DIR));
            try (OutputStream out = Files.newOutputStream(dir.resolve(TrainingState.OPTIMIZER_FILE))) {
                optimizer.save(out);
            }
            Json.write(dir.resolve(TrainingState.MANIFEST_FILE), manifest);
        });
        removeAllBut(target);
        LOG.info("saved training state after step {}/{} to {}", manifest.step(), manifest.totalSteps(), target);
        return new TrainingState(target, manifest);
    }

    /**
     * The state of the highest step that opens, if any; folders that do not open (incomplete, unreadable) are
     * skipped with a warning.
     */
    public Optional<TrainingState> latest() throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> candidates;
        try (Stream<Path> children = Files.list(root)) {
            candidates = children.filter(p -> step(p) >= 0)
                    .sorted(Comparator.comparingLong(TrainingStateStore::step).reversed())
                    .toList();
        }
        for (Path candidate : candidates) {
            try {
                return Optional.of(TrainingState.open(candidate));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("skipping training state {}: {}", candidate, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void removeAllBut(Path keep) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> !p.equals(keep))
                    .filter(p -> step(p) >= 0 || p.getFileName().toString().startsWith(".step-"))
                    .forEach(AtomicFiles::deleteRecursively);
        }
    }

    /** The step in a state folder's name, or −1 if it is not one. */
    private static long step(Path dir) {
        Matcher m = STATE_DIR.matcher(dir.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
