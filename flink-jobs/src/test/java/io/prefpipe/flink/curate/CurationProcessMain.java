package io.prefpipe.flink.curate;

import java.util.HashMap;
import java.util.Map;

/**
 * A bounded curation run as a process of its own, for tests that kill it: {@code key=value} arguments as in
 * {@link CurationJobOptions}, plus {@code throttle-micros=N} to slow every event down. Exits 0 once the snapshot
 * manifest is written; Flink's non-daemon threads make {@code System.exit} necessary.
 */
final class CurationProcessMain {
    static final String THROTTLE = "throttle-micros";

    private CurationProcessMain() {}

    public static void main(String[] args) {
        int status = 1;
        try {
            Map<String, String> options = new HashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                options.put(a.substring(0, eq), a.substring(eq + 1));
            }
            String throttle = options.remove(THROTTLE);
            CurationJobConfig config = CurationJobOptions.toConfig(options);
            try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE,
                    throttle == null ? null : new Throttle(Long.parseLong(throttle) * 1_000))) {
                System.out.println("started " + run.jobId());
                CurationReport report = run.awaitReport();
                System.out.println("finished " + report.counts());
                status = 0;
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
        System.exit(status);
    }
}
