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
 * emitted. Undecided pairs are never emitted.
 */
public final class ComparisonCurator {
    private final PairwiseAggregator aggregator;

    public ComparisonCurator(PairwiseAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
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
        for (Map.Entry<ResponsePair, List<PairwiseVote>> e : votesByPair.entrySet()) {
            ResponsePair pair = e.getKey();
            ResponseText first = canonical.response(pair.first()).orElseThrow();
            ResponseText second = canonical.response(pair.second()).orElseThrow();
            if (first.text().strip().equals(second.text().strip())) {
                identical.add(pair);
                continue;
            }
            PairLabel label = aggregator.aggregate(pair, e.getValue());
            if (label.decided() == Outcome.TIE) {
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
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] digest = md.digest((comparisonId + '\u0000' + chosenId + '\u0000' + rejectedId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
