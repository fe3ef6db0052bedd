package io.prefpipe.labeling.curate;

import java.util.List;
import java.util.Map;

/**
 * What curating one comparison produced. Every judgement given to the curator appears exactly once, either in
 * {@code curatedEventIds} or as a key of {@code filtered}.
 *
 * @param pairs the decided pairs
 * @param curatedEventIds events that voted on at least one decided pair
 * @param filtered every other event, with the reason it was filtered
 */
public record CurationResult(List<CuratedPair> pairs, List<String> curatedEventIds, Map<String, FilterReason> filtered) {
    public CurationResult {
        pairs = List.copyOf(pairs);
        curatedEventIds = List.copyOf(curatedEventIds);
        filtered = Map.copyOf(filtered);
    }
}
