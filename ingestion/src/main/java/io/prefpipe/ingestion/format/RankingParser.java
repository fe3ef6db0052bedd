package io.prefpipe.ingestion.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Ranked lists: {@code {"prompt": "...", "responses": ["...", ...], "ranks": [2, 1, ...]}}, one rank per response,
 * rank 1 the best. Optional: {@code annotator} (an id; default {@code ranking}).
 *
 * <p>Ranks are whole numbers from 1 to the number of responses, and some response has rank 1. Equal ranks are ties
 * (competition {@code [1, 1, 3]} and dense {@code [1, 1, 2]} rankings mean the same). A ranking without ties becomes a
 * {@code Ranking} judgement (the response ids best first); one with ties becomes a {@code Ratings} judgement with
 * score {@code K + 1 - rank} per response (K responses), because a {@code Ranking} orders every response strictly
 * and ratings are the judgement whose equal values tie. Either way curation decomposes it into the same votes on every
 * pair of responses: the better rank wins, equal ranks tie.
 *
 * <p>Responses must be 2 or more non-empty, distinct texts; they are listed in text order with ids {@code r1},
 * {@code r2}, ... (see {@link ResponseLists}). The annotator's kind is HUMAN; the event id is a digest of annotator,
 * prompt, responses and ranks; the event time is the context's default. Extra top-level fields with a plain value are
 * kept in the metadata as {@code ranking.<name>}.
 */
public final class RankingParser implements FeedbackParser {
    /** The annotator credited when a line names none. */
    public static final String ANNOTATOR_ID = "ranking";

    private static final Set<String> FIELDS = Set.of("prompt", "responses", "ranks", "annotator");

    @Override
    public ParseResult parse(String line, LineContext context) {
        try {
            return new ParseResult.Parsed(read(JsonInput.parseObject(line), context));
        } catch (InputRejected e) {
            return new ParseResult.Rejected(e.violation());
        }
    }

    private static FeedbackEvent read(ObjectNode root, LineContext context) throws InputRejected {
        ResponseLists.Listed listed = ResponseLists.read(root, FIELDS, "ranking.", ANNOTATOR_ID, context);
        ArrayNode array = ResponseLists.parallel(root, "ranks", listed);
        int k = listed.texts().size();
        int[] ranks = new int[k];
        boolean hasBest = false;
        for (int i = 0; i < k; i++) {
            String path = JsonInput.element("ranks", i);
            ranks[i] = rank(array.get(i), path, k);
            hasBest |= ranks[i] == 1;
        }
        if (!hasBest) {
            throw new InputRejected(RejectReason.INVALID_VALUE, "ranks", "ranks must give some response rank 1 (the"
                    + " best), got " + array);
        }
        List<String> ids = listed.ids();
        boolean ties = IntStream.of(ranks).distinct().count() < k;
        Object judgement;
        if (ties) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int i : listed.textOrder()) {
                scores.put(ids.get(i), (double) (k + 1 - ranks[i]));
            }
            judgement = new Ratings(scores);
        } else {
            judgement = new Ranking(IntStream.range(0, k).boxed()
                    .sorted(Comparator.comparingInt(i -> ranks[i]))
                    .map(ids::get)
                    .toList());
        }
        List<String> values = new ArrayList<>(k);
        for (int r : ranks) {
            values.add(Integer.toString(r));
        }
        String eventId = "rank-" + ContentIds.digest(ResponseLists.digestParts(listed, values));
        return ResponseLists.event(eventId, listed, judgement, context);
    }

    private static int rank(JsonNode node, String path, int k) throws InputRejected {
        if (!node.isNumber()) {
            throw JsonInput.wrongType(path, "a whole number", node);
        }
        if (!node.canConvertToExactIntegral()) {
            throw new InputRejected(RejectReason.WRONG_TYPE, path, path + " must be a whole number, got " + node);
        }
        if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > k) {
            throw new InputRejected(RejectReason.INVALID_VALUE, path, path + " must be a rank from 1 (the best) to "
                    + k + " (the number of responses), got " + node);
        }
        return node.intValue();
    }
}
