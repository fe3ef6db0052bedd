package io.prefpipe.flink.curate;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what a curation run is doing. Called from a background thread of the run; implementations must be quick and
 * must not throw. Every method has an empty default.
 */
public interface CurationProgressListener {

    /** Does nothing. */
    CurationProgressListener NONE = new CurationProgressListener() {};

    /**
     * The job is about to be submitted to resume from {@code checkpoint}; {@code transactions} says what became of the
     * Kafka transactions its sinks had pre-committed there, empty if the brokers could not list them (the run logs
     * why). Called before the restored sinks log anything about those transactions.
     */
    default void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {}

    /** The job was submitted and will read what {@code plan} covers. */
    default void onStarted(String jobId, SourcePlan plan) {}

    /** Running counts, every progress interval while the job runs. Not exact until the job has finished. */
    default void onProgress(Counts counts, Duration elapsed) {}

    /** A bounded run finished and its manifest is written. */
    default void onFinished(CurationReport report) {}

    /** A listener that passes every call to this one, then to {@code next}. */
    default CurationProgressListener andThen(CurationProgressListener next) {
        CurationProgressListener first = this;
        return new CurationProgressListener() {
            @Override
            public void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {
                first.onResuming(checkpoint, transactions);
                next.onResuming(checkpoint, transactions);
            }

            @Override
            public void onStarted(String jobId, SourcePlan plan) {
                first.onStarted(jobId, plan);
                next.onStarted(jobId, plan);
            }

            @Override
            public void onProgress(Counts counts, Duration elapsed) {
                first.onProgress(counts, elapsed);
                next.onProgress(counts, elapsed);
            }

            @Override
            public void onFinished(CurationReport report) {
                first.onFinished(report);
                next.onFinished(report);
            }
        };
    }

    /**
     * Prints {@link #onResuming} to {@code out}, each line after {@code prefix}, and nothing else: for a console that
     * prints progress its own way.
     */
    static CurationProgressListener printingResumes(PrintStream out, String prefix) {
        return new CurationProgressListener() {
            @Override
            public void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {
                resumeReport(checkpoint, transactions).forEach(line -> out.println(prefix + line));
            }
        };
    }

    /** Where a job resumes from and what became of its Kafka transactions, one line each. */
    private static List<String> resumeReport(URI checkpoint, Optional<RestoredTransactions> transactions) {
        List<String> lines = new ArrayList<>();
        lines.add("resuming the job from " + Locations.display(checkpoint));
        transactions.ifPresentOrElse(t -> lines.addAll(t.report()), () -> lines.add("cannot tell what became of the"
                + " Kafka transactions of " + Locations.display(checkpoint) + " (see the log)"));
        return lines;
    }

    /** Logs every call at info level through SLF4J. */
    static CurationProgressListener logging() {
        Logger log = LoggerFactory.getLogger(CurationProgressListener.class);
        return new CurationProgressListener() {
            @Override
            public void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {
                resumeReport(checkpoint, transactions).forEach(line -> log.info("{}", line));
            }

            @Override
            public void onStarted(String jobId, SourcePlan plan) {
                log.info("curation job {} started on {} ({} partitions, up to {} messages)", jobId, plan.topics(),
                        plan.partitions(), plan.offsetsCovered());
            }

            @Override
            public void onProgress(Counts c, Duration elapsed) {
                log.info("curation after {} s: {} events in, {} curated, {} filtered, {} dead-lettered, {} pairs",
                        elapsed.toSeconds(), c.eventsIn(), c.curatedEvents(), c.filteredTotal(),
                        c.deadLetteredTotal(), c.pairs());
            }

            @Override
            public void onFinished(CurationReport r) {
                log.info("curation job {} finished in {} ms: {} events in, {} curated, filtered {}, dead-lettered {}, "
                                + "{} pairs in {} files under {}", r.jobId(), r.elapsed().toMillis(), r.eventsIn(),
                        r.curatedEvents(), r.filtered(), r.deadLettered(), r.pairs(), r.manifest().files().size(),
                        r.snapshotLocation());
            }
        };
    }
}
