package io.prefpipe.labeling.sampling.jsonl;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link RsoFileRunner#run} read and wrote. Every line is counted once:
 * {@code linesRead = promptsRead + blankLines + refusedTotal()}.
 *
 * @param linesRead lines in the input file
 * @param blankLines lines holding only whitespace, skipped
 * @param promptsRead lines that held a valid prompt
 * @param candidatesRead candidates in the valid prompts
 * @param accepted candidates accepted by the sampler, over all prompts
 * @param promptsExhausted prompts with fewer candidates than n, so all of them were accepted
 * @param pairsWritten pairs written to the output
 * @param tiedPairs of those, pairs whose two rewards are equal
 * @param refusedByReason refused lines per reason; every reason is present, with 0 when none
 * @param refusals the first {@link RsoFileRunner#MAX_LISTED_REFUSALS} refused lines, in file order
 * @param elapsed wall-clock time of the run
 */
public record RsoReport(
        long linesRead,
        long blankLines,
        long promptsRead,
        long candidatesRead,
        long accepted,
        long promptsExhausted,
        long pairsWritten,
        long tiedPairs,
        Map<RefusalReason, Long> refusedByReason,
        List<Refusal> refusals,
        Duration elapsed) {
    public RsoReport {
        EnumMap<RefusalReason, Long> counts = new EnumMap<>(RefusalReason.class);
        for (RefusalReason r : RefusalReason.values()) {
            counts.put(r, refusedByReason.getOrDefault(r, 0L));
        }
        refusedByReason = Collections.unmodifiableMap(counts);
        refusals = List.copyOf(refusals);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Refused lines over all reasons. */
    public long refusedTotal() {
        return refusedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every line is accounted for exactly once. */
    public boolean reconciles() {
        return linesRead == promptsRead + blankLines + refusedTotal();
    }

    /** A one-line summary for logs and the command line. */
    public String summary() {
        StringBuilder refused = new StringBuilder();
        refusedByReason.forEach((r, c) -> {
            if (c > 0) {
                refused.append(refused.length() == 0 ? "" : ", ").append(r.code()).append('=').append(c);
            }
        });
        return String.format("%d lines: %d prompts, %d blank, %d refused%s; %d candidates, %d accepted"
                        + " (%d prompts had fewer than n); %d pairs written (%d tied); %.3f s",
                linesRead, promptsRead, blankLines, refusedTotal(), refused.length() == 0 ? "" : " [" + refused + "]",
                candidatesRead, accepted, promptsExhausted, pairsWritten, tiedPairs, elapsed.toNanos() / 1e9);
    }
}
