package io.prefpipe.labeling.curate;

import io.prefpipe.labeling.aggregate.PairLabel;
import io.prefpipe.labeling.aggregate.PairwiseAggregator;
import io.prefpipe.labeling.pairwise.AnnotatedJudgement;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseDecomposition;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Curates one comparison: decomposes its judgements into pairwise votes, decides each pair with the configured
 * {@link PairwiseAggregator}, and accounts for every judgement.
 *
 * <p>The first judgement's content is the comparison's content; a later judgement whose prompt or responses differ is
 * filtered as {@link FilterReason#INCONSISTENT_COMPARISON}. Pairs of responses with identical text are never
 * emitted. Undecided pairs are never emitted, and neither are pairs whose decided label is less probable than the
 * ambiguity threshold.
 *
 * <p>A judgement that voted on no emitted pair is filtered with the first of these that applies: it voted on an
 * {@link FilterReason#AMBIGUOUS} pair; every pair it voted on has identical texts
 * ({@link FilterReason#IDENTICAL_RESPONSES}); else {@link FilterReason#TIE}.
 */
public final class ComparisonCurator {
    /** The threshold that keeps every decided pair. */
    public static final double NO_AMBIGUITY_THRESHOLD = 0.5;
    /** Never updated, only cloned (see {@link #pairId}). */
    private static final MessageDigest SHA_256 = sha256();

    private final PairwiseAggregator aggregator;
    private final double ambiguityThreshold;

    /** A curator that emits every decided pair. */
    public ComparisonCurator(PairwiseAggregator aggregator) {
        this(aggregator, NO_AMBIGUITY_THRESHOLD);
    }

    /**
     * @param ambiguityThreshold a decided pair whose label has a lower probability ({@link PairLabel#pDecided()}) is
     *     filtered as {@link FilterReason#AMBIGUOUS}; in [0.5, 1], where 0.5 keeps every decided pair
     * @throws IllegalArgumentException if the threshold is outside [0.5, 1]
     */
    public ComparisonCurator(PairwiseAggregator aggregator, double ambiguityThreshold) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
        if (!(ambiguityThreshold >= NO_AMBIGUITY_THRESHOLD && ambiguityThreshold <= 1)) {
            throw new IllegalArgumentException("ambiguityThreshold must be in [0.5, 1], got " + ambiguityThreshold);
        }
        this.ambiguityThreshold = ambiguityThreshold;
    }

    /** A judgement together with the content it judged. */
    public record Observed(Comparison content, AnnotatedJudgement judgement) {
        public Observed {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(judgement, "judgement");
        }
    }

    /**
     * Curates the judgements of one comparison.
     *
     * @param observed the judgements, all with the same comparison id, in arrival order; at least one
     */
    public CurationResult curate(List<Observed> observed) {
        if (observed.isEmpty()) {
            throw new IllegalArgumentException("observed must hold at least one judgement");
        }
        Comparison canonical = observed.get(0).content();
        Map<String, FilterReason> filtered = new LinkedHashMap<>();
        Map<ResponsePair, List<PairwiseVote>> votesByPair = new TreeMap<>();
        Map<String, List<ResponsePair>> pairsByEvent = new LinkedHashMap<>();
        for (Observed o : observed) {
            String eventId = o.judgement().eventId();
            if (!o.content().comparisonId().equals(canonical.comparisonId())) {
                throw new IllegalArgumentException("event " + eventId + " belongs to comparison "
                        + o.content().comparisonId() + ", not " + canonical.comparisonId());
            }
            if (!o.content().equals(canonical)) {
                filtered.put(eventId, FilterReason.INCONSISTENT_COMPARISON);
                continue;
            }
            List<ResponsePair> pairs = new ArrayList<>();
            for (PairwiseVote v : PairwiseDecomposition.votes(o.judgement())) {
                votesByPair.computeIfAbsent(v.pair(), p -> new ArrayList<>()).add(v);
                pairs.add(v.pair());
            }
            pairsByEvent.put(eventId, pairs);
        }

        List<CuratedPair> curated = new ArrayList<>();
        Set<ResponsePair> emitted = new LinkedHashSet<>();
        Set<ResponsePair> identical = new LinkedHashSet<>();
        Set<ResponsePair> ambiguous = new LinkedHashSet<>();
        for (Map.Entry<ResponsePair, List<PairwiseVote>> e : votesByPair.entrySet()) {
            ResponsePair pair = e.getKey();
            ResponseText first = canonical.response(pair.first()).orElseThrow();
            ResponseText second = canonical.response(pair.second()).orElseThrow();
            if (canonical.sameText(pair.first(), pair.second())) {
                identical.add(pair);
                continue;
            }
            PairLabel label = aggregator.aggregate(pair, e.getValue());
            if (label.decided() == Outcome.TIE) {
                continue;
            }
            if (label.pDecided() < ambiguityThreshold) {
                ambiguous.add(pair);
                continue;
            }
            boolean firstWins = label.decided() == Outcome.FIRST;
            ResponseText chosen = firstWins ? first : second;
            ResponseText rejected = firstWins ? second : first;
            List<String> sources = e.getValue().stream().map(PairwiseVote::eventId).distinct().toList();
            curated.add(new CuratedPair(pairId(canonical.comparisonId(), chosen.id(), rejected.id()), canonical, chosen,
                    rejected, label.pDecided(), label.voteCount(), label.agreement(), aggregator.name(), sources));
            emitted.add(pair);
        }

        List<String> curatedEvents = new ArrayList<>();
        for (Map.Entry<String, List<ResponsePair>> e : pairsByEvent.entrySet()) {
            List<ResponsePair> pairs = e.getValue();
            if (pairs.stream().anyMatch(emitted::contains)) {
                curatedEvents.add(e.getKey());
            } else if (pairs.stream().anyMatch(ambiguous::contains)) {
                filtered.put(e.getKey(), FilterReason.AMBIGUOUS);
            } else if (!pairs.isEmpty() && identical.containsAll(pairs)) {
                filtered.put(e.getKey(), FilterReason.IDENTICAL_RESPONSES);
            } else {
                filtered.put(e.getKey(), FilterReason.TIE);
            }
        }
        return new CurationResult(curated, curatedEvents, filtered);
    }

    /** A deterministic id for the pair (comparison, chosen, rejected): 32 hex digits of its SHA-256. */
    public static String pairId(String comparisonId, String chosenId, String rejectedId) {
        MessageDigest md;
        try {
            // a clone of a digest nobody updates: far cheaper than looking the algorithm up among the providers
            md = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            md = sha256();
        }
        byte[] digest = md.digest((comparisonId + '\u0000' + chosenId + '\u0000' + rejectedId)
                .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
