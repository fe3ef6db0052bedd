package io.prefpipe.ingestion.format;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The line formats prefpipe ingests, by the name used on the command line. */
public enum FeedbackFormat {
    /** Anthropic HH-RLHF: {@code {"chosen": dialogue, "rejected": dialogue}}; see {@link HhRlhfParser}. */
    HH_RLHF("hh-rlhf"),
    /**
     * TRL preference datasets: {@code {"prompt", "chosen", "rejected"}}, plain or conversational, or a conversational
     * {@code {"chosen", "rejected"}} with an implicit prompt; see {@link TrlParser}.
     */
    TRL("trl"),
    /** prefpipe's own JSON form of a {@code FeedbackEvent}; see {@link PrefpipeJsonParser}. */
    PREFPIPE("prefpipe"),
    /** Ranked lists: {@code {"prompt", "responses": [...], "ranks": [...]}}, rank 1 best; see {@link RankingParser}. */
    RANKING("ranking"),
    /** Rated responses: {@code {"prompt", "responses": [...], "scores": [...]}}; see {@link RatingsParser}. */
    RATINGS("ratings");

    private final String id;

    FeedbackFormat(String id) {
        this.id = id;
    }

    /** The name used on the command line and in reports, e.g. {@code hh-rlhf}. */
    public String id() {
        return id;
    }

    /** A parser for this format. */
    public FeedbackParser parser() {
        return switch (this) {
            case HH_RLHF -> new HhRlhfParser();
            case TRL -> new TrlParser();
            case RANKING -> new RankingParser();
            case RATINGS -> new RatingsParser();
            case PREFPIPE -> new PrefpipeJsonParser();
        };
    }

    /**
     * The format with this {@link #id()}.
     *
     * @throws IllegalArgumentException naming the accepted ids if there is none
     */
    public static FeedbackFormat fromId(String id) {
        for (FeedbackFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        String ids = Arrays.stream(values()).map(FeedbackFormat::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("format must be one of " + ids + ", got '" + id + "'");
    }
}
