package io.prefpipe.flink.curate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.DeadLetters;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A seeded stream of feedback messages for both feedback topics: valid judgements on comparisons whose curated pairs
 * are known in advance, mixed with hostile and malformed messages, each tagged with the fate it must meet (the
 * reason code and field of its dead letter, or the reason it is filtered). Every category of bad input the curation
 * job must survive is here: invalid JSON, wrong JSON types, missing and unknown fields, bytes that are not UTF-8,
 * unknown enum symbols and union branches, negative and far-future times, an event id reused with other content,
 * exact redeliveries, empty and identical responses, responses over the size limit, 1 MB prompts, a message at
 * Kafka's size limit, truncated Avro, Avro declaring more than it holds, garbage, tombstones, and every rule of the
 * validator. Valid events get event times just after {@link #T0}, one millisecond apart, so no window closes before
 * the end of input.
 */
final class HostileFeedback {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    enum Topic { AVRO, JSON }

    /** What must become of one message. */
    sealed interface Fate {
        /** A valid judgement that ends up in a curated pair. */
        record Curated() implements Fate {}

        /** A valid event filtered for {@code reason}. */
        record Filtered(String reason) implements Fate {}

        /** Dead-lettered with {@code reason} and {@code field} (null: the whole message). */
        record DeadLettered(String reason, String field) implements Fate {}
    }

    /**
     * One message to send.
     *
     * @param topic the topic it goes to
     * @param value the message value; null for a tombstone
     * @param eventId the event id it carries, when it has one the test can rely on
     * @param category what kind of input it is, for failure messages
     * @param fate what must become of it
     */
    record Message(Topic topic, byte[] value, String eventId, String category, Fate fate) {}

    /** A pair the valid judgements must produce. */
    record ExpectedPair(String comparisonId, String chosenId, String rejectedId, int votes) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Over the default 65,536-char limit of a response text. */
    private static final int OVERSIZE_RESPONSE = 65_537;
    /** A "1 MB prompt": with the rest of the event, the value still fits Kafka's default 1 MiB message. */
    private static final int ONE_MB_PROMPT = 1_000_000;
    /**
     * A value 91 bytes under what the producer's default max.request.size (1,048,576 bytes with its record overhead)
     * accepts: a dead letter holding it whole, with its other fields, would not fit.
     */
    private static final int NEAR_KAFKA_LIMIT = 1_048_400;
    /** A hostile value that a message would quote: 600 KB in the payload, again in the message, and in the field. */
    private static final int QUOTED = 600_000;

    private final Random random;
    private final AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
    private final PrefpipeJsonWriter writer = new PrefpipeJsonWriter();
    private final List<Message> messages = new ArrayList<>();
    private final List<ExpectedPair> pairs = new ArrayList<>();
    /** Valid events already placed on each topic, in order: originals for reused ids. */
    private final List<List<FeedbackEvent>> placed = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<Case> cases = new ArrayList<>();
    private long time;
    private int hostileSeq;

    /** Makes one case's message from a fresh hostile base event (unique ids, valid until the case breaks it). */
    private interface Case {
        Message make(FeedbackEvent base);
    }

    private HostileFeedback(long seed) {
        this.random = new Random(seed);
        registerCases();
    }

    /**
     * The messages, in the order to send them on each topic.
     *
     * @param seed fixes everything
     * @param comparisons valid comparisons, three judgements each
     * @param hostile hostile or malformed messages besides them (a few large ones come on top)
     */
    static HostileFeedback generate(long seed, int comparisons, int hostile) {
        HostileFeedback f = new HostileFeedback(seed);
        List<FeedbackEvent> valid = f.validJudgements(comparisons);
        int total = valid.size() + hostile;
        int nextValid = 0;
        int made = 0;
        for (int i = 0; i < total; i++) {
            // valid ones at the rate that spreads them over the whole stream
            boolean takeValid = nextValid < valid.size()
                    && (made >= hostile || f.random.nextInt(total - i) < valid.size() - nextValid);
            if (takeValid) {
                f.placeValid(valid.get(nextValid++));
            } else {
                f.add(f.cases.get(f.random.nextInt(f.cases.size())).make(f.base()));
                made++;
            }
        }
        f.addLarge();
        return f;
    }

    List<Message> messages() {
        return messages;
    }

    List<ExpectedPair> expectedPairs() {
        return pairs;
    }

    /** The values for one topic, in order: a message's offset is its index here (one partition). */
    List<byte[]> values(Topic topic) {
        return messages.stream().filter(m -> m.topic() == topic).map(Message::value).toList();
    }

    // ---- valid judgements ----------------------------------------------------------------------------------------

    private List<FeedbackEvent> validJudgements(int comparisons) {
        List<FeedbackEvent> out = new ArrayList<>();
        for (int c = 0; c < comparisons; c++) {
            String cid = "v-" + c;
            String prompt = "Question " + c + ": which answer is better?";
            if (c % 5 == 4) {
                // three identical rankings over three responses: three pairs of three votes
                List<Response> rs = List.of(response("a", "Answer A to " + c), response("b", "Answer B to " + c),
                        response("c", "Answer C to " + c));
                List<String> order = new ArrayList<>(List.of("a", "b", "c"));
                Collections.shuffle(order, random);
                for (int k = 0; k < 3; k++) {
                    out.add(event(cid + "-e" + k, cid, prompt, rs, new Ranking(order), "ann-" + k));
                }
                pairs.add(new ExpectedPair(cid, order.get(0), order.get(1), 3));
                pairs.add(new ExpectedPair(cid, order.get(0), order.get(2), 3));
                pairs.add(new ExpectedPair(cid, order.get(1), order.get(2), 3));
            } else {
                List<Response> rs = List.of(response("a", "Answer A to " + c), response("b", "Answer B to " + c));
                String winner = random.nextBoolean() ? "a" : "b";
                String loser = winner.equals("a") ? "b" : "a";
                boolean unanimous = random.nextBoolean();
                for (int k = 0; k < 3; k++) {
                    String preferred = k == 2 && !unanimous ? loser : winner;
                    out.add(event(cid + "-e" + k, cid, prompt, rs, new PairwiseChoice(preferred, false, null),
                            "ann-" + k));
                }
                pairs.add(new ExpectedPair(cid, winner, loser, 3));
            }
        }
        Collections.shuffle(out, random);
        return out;
    }

    private void placeValid(FeedbackEvent e) {
        Topic topic = randomTopic();
        add(new Message(topic, encode(topic, e), e.getEventId(), "valid", new Fate.Curated()));
        placed.get(topic.ordinal()).add(e);
    }

    // ---- the hostile cases ---------------------------------------------------------------------------------------

    private void registerCases() {
        // rules of the validator, in both forms
        invalid("blank event id", e -> e.setEventId("  "), "missing_field", "event_id");
        invalid("event id over 256 chars", e -> e.setEventId("x".repeat(257)), "too_large", "event_id");
        invalid("empty comparison id", e -> e.setComparisonId(""), "missing_field", "comparison_id");
        invalid("empty prompt", e -> e.setPrompt(""), "empty_text", "prompt");
        invalid("blank prompt", e -> e.setPrompt(" \n\t "), "empty_text", "prompt");
        invalid("one response", e -> e.setResponses(List.of(e.getResponses().get(0))), "too_few_responses",
                "responses");
        invalid("no responses", e -> e.setResponses(List.of()), "too_few_responses", "responses");
        invalid("17 responses", e -> e.setResponses(manyResponses(17)), "too_many_responses", "responses");
        invalid("empty response", e -> e.getResponses().get(1).setText(""), "empty_text", "responses[1].text");
        invalid("blank response", e -> e.getResponses().get(0).setText("   "), "empty_text", "responses[0].text");
        invalid("blank response id", e -> e.getResponses().get(1).setId(""), "missing_field", "responses[1].id");
        invalid("duplicate response id", e -> e.getResponses().get(1).setId("a"), "duplicate_response_id",
                "responses[1].id");
        invalid("preferred unknown", e -> choice(e).setPreferred("zzz"), "unknown_response", "judgement.preferred");
        invalid("tie with preferred", e -> choice(e).setTie(true), "invalid_judgement", "judgement.preferred");
        invalid("no preferred, no tie", e -> choice(e).setPreferred(null), "missing_field", "judgement.preferred");
        invalid("strength over 1", e -> choice(e).setStrength(1.5), "invalid_value", "judgement.strength");
        invalid("negative strength", e -> choice(e).setStrength(-0.1), "invalid_value", "judgement.strength");
        invalid("ranking incomplete", e -> e.setJudgement(new Ranking(List.of("a"))), "invalid_judgement",
                "judgement.order");
        invalid("ranking unknown id", e -> e.setJudgement(new Ranking(List.of("a", "q"))), "unknown_response",
                "judgement.order[1]");
        invalid("ranking repeats", e -> e.setJudgement(new Ranking(List.of("b", "b"))), "invalid_judgement",
                "judgement.order[1]");
        invalid("one rating", e -> e.setJudgement(new Ratings(Map.of("a", 1.0))), "invalid_judgement",
                "judgement.scores");
        invalid("rating unknown id", e -> e.setJudgement(new Ratings(Map.of("a", 1.0, "zz", 2.0))),
                "unknown_response", "judgement.scores.zz");
        invalid("shown order unknown", e -> e.setShownOrder(List.of("c", "a")), "unknown_response", "shown_order[0]");
        invalid("shown order repeats", e -> e.setShownOrder(List.of("a", "a")), "invalid_value", "shown_order[1]");
        invalid("blank annotator", e -> e.getAnnotator().setId(" "), "missing_field", "annotator.id");
        invalid("negative time", e -> e.setEventTime(Instant.ofEpochMilli(-5)), "invalid_timestamp", "event_time");
        invalid("time at the epoch", e -> e.setEventTime(Instant.EPOCH), "invalid_timestamp", "event_time");
        invalid("year 1900", e -> e.setEventTime(Instant.parse("1900-01-01T00:00:00Z")), "invalid_timestamp",
                "event_time");
        invalid("far-future time", e -> e.setEventTime(Instant.now().plus(Duration.ofDays(400))),
                "invalid_timestamp", "event_time");
        invalid("largest millisecond time", e -> e.setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE)),
                "invalid_timestamp", "event_time");
        invalid("smallest millisecond time", e -> e.setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE)),
                "invalid_timestamp", "event_time");

        // valid events that do not become training data
        cases.add(base -> {
            FeedbackEvent e = base;
            e.getResponses().get(1).setText(e.getResponses().get(0).getText());
            Topic topic = randomTopic();
            return new Message(topic, encode(topic, e), e.getEventId(), "identical responses",
                    new Fate.Filtered("identical_responses"));
        });
        cases.add(base -> reuse(base, false));
        cases.add(base -> reuse(base, true));

        // JSON only
        json("truncated JSON", j -> {
            String s = j.toString();
            return s.substring(0, random.nextInt(s.length() - 1)).getBytes(StandardCharsets.UTF_8);
        }, "invalid_json", null);
        json("garbage", j -> "{\"event_id\": e-1, ]".getBytes(StandardCharsets.UTF_8), "invalid_json", null);
        json("empty message", j -> new byte[0], "invalid_json", null);
        json("duplicate key", j -> j.toString().replaceFirst("\\{", "{\"prompt\":\"first\",")
                .getBytes(StandardCharsets.UTF_8), "invalid_json", null);
        json("NaN strength", j -> j.toString()
                .replace("\"type\":\"pairwise\"", "\"type\":\"pairwise\",\"strength\":NaN")
                .getBytes(StandardCharsets.UTF_8), "invalid_json", null);
        json("nested 5,000 deep", j -> ("{\"metadata\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                .getBytes(StandardCharsets.UTF_8), "invalid_json", null);
        json("two objects", j -> (j + " " + j).getBytes(StandardCharsets.UTF_8), "invalid_json", null);
        json("array", j -> "[1, 2]".getBytes(StandardCharsets.UTF_8), "wrong_type", null);
        json("string", j -> "\"an event\"".getBytes(StandardCharsets.UTF_8), "wrong_type", null);
        json("JSON null", j -> "null".getBytes(StandardCharsets.UTF_8), "wrong_type", null);
        json("prompt a number", j -> set(j, "prompt", 42), "wrong_type", "prompt");
        json("responses an object", j -> set(j, "responses", JSON.createObjectNode()), "wrong_type", "responses");
        json("response text a boolean", j -> {
            ((ObjectNode) j.get("responses").get(1)).put("text", true);
            return bytes(j);
        }, "wrong_type", "responses[1].text");
        json("strength a string", j -> {
            ((ObjectNode) j.get("judgement")).put("strength", "high");
            return bytes(j);
        }, "wrong_type", "judgement.strength");
        json("tie a string", j -> {
            ((ObjectNode) j.get("judgement")).put("tie", "yes");
            return bytes(j);
        }, "wrong_type", "judgement.tie");
        json("event time a number", j -> set(j, "event_time", 1735689600000L), "wrong_type", "event_time");
        json("annotator a string", j -> set(j, "annotator", "ann-7"), "wrong_type", "annotator");
        json("metadata value a number", j -> {
            j.putObject("metadata").put("ui", 2);
            return bytes(j);
        }, "wrong_type", "metadata.ui");
        json("shown order of numbers", j -> {
            j.putArray("shown_order").add(1).add(2);
            return bytes(j);
        }, "wrong_type", "shown_order[0]");
        for (String field : List.of("event_id", "prompt", "responses", "judgement", "annotator", "event_time")) {
            json("no " + field, j -> {
                j.remove(field);
                return bytes(j);
            }, "missing_field", field);
        }
        json("prompt null", j -> {
            j.putNull("prompt");
            return bytes(j);
        }, "missing_field", "prompt");
        json("no response text", j -> {
            ((ObjectNode) j.get("responses").get(0)).remove("text");
            return bytes(j);
        }, "missing_field", "responses[0].text");
        json("no annotator kind", j -> {
            ((ObjectNode) j.get("annotator")).remove("kind");
            return bytes(j);
        }, "missing_field", "annotator.kind");
        json("no judgement type", j -> {
            ((ObjectNode) j.get("judgement")).remove("type");
            return bytes(j);
        }, "missing_field", "judgement.type");
        json("unknown top field", j -> set(j, "colour", "red"), "unknown_field", "colour");
        json("unknown response field", j -> {
            ((ObjectNode) j.get("responses").get(1)).put("score", 3);
            return bytes(j);
        }, "unknown_field", "responses[1].score");
        json("unknown annotator field", j -> {
            ((ObjectNode) j.get("annotator")).put("email", "a@example.org");
            return bytes(j);
        }, "unknown_field", "annotator.email");
        json("unknown judgement field", j -> {
            ((ObjectNode) j.get("judgement")).put("order", "a");
            return bytes(j);
        }, "unknown_field", "judgement.order");
        json("unknown annotator kind", j -> {
            ((ObjectNode) j.get("annotator")).put("kind", "ROBOT");
            return bytes(j);
        }, "invalid_value", "annotator.kind");
        json("lower-case annotator kind", j -> {
            ((ObjectNode) j.get("annotator")).put("kind", "human");
            return bytes(j);
        }, "invalid_value", "annotator.kind");
        json("unknown judgement type", j -> {
            ((ObjectNode) j.get("judgement")).put("type", "vibes");
            return bytes(j);
        }, "invalid_value", "judgement.type");
        json("unparseable time", j -> set(j, "event_time", "yesterday"), "invalid_timestamp", "event_time");
        json("time without offset", j -> set(j, "event_time", "2025-01-01T00:00:00"), "invalid_timestamp",
                "event_time");
        json("year 999,999,999", j -> set(j, "event_time", "+999999999-12-31T23:59:59Z"), "invalid_timestamp",
                "event_time");
        json("year -999,999,999", j -> set(j, "event_time", "-999999999-01-01T00:00:00Z"), "invalid_timestamp",
                "event_time");
        json("invalid UTF-8 in the prompt", j -> corruptUtf8(bytes(j), new byte[] {(byte) 0xC3, 0x28}), "invalid_utf8",
                null);
        json("lone surrogate as UTF-8", j -> corruptUtf8(bytes(j), new byte[] {(byte) 0xED, (byte) 0xA0}),
                "invalid_utf8", null);
        json("overlong UTF-8", j -> corruptUtf8(bytes(j), new byte[] {(byte) 0xC0, (byte) 0xAF}), "invalid_utf8",
                null);
        json("Latin-1 bytes", j -> corruptUtf8(bytes(j), new byte[] {(byte) 0xFC, 'x'}), "invalid_utf8", null);

        // Avro only
        avro("truncated in the prompt", (e, b) -> Arrays.copyOf(b, indexOf(b, utf8(e.getPrompt())) + 5), "invalid_avro",
                "prompt");
        avro("truncated in a response", (e, b) -> Arrays.copyOf(b, indexOf(b, utf8(e.getResponses().get(1).getText()))
                + 3), "invalid_avro", "responses[1].text");
        avro("truncated by one byte", (e, b) -> Arrays.copyOf(b, b.length - 1), "invalid_avro", "metadata");
        avro("truncated to one byte", (e, b) -> Arrays.copyOf(b, 1), "invalid_avro", "event_id");
        avro("empty message", (e, b) -> new byte[0], "invalid_avro", "event_id");
        avro("tombstone", (e, b) -> null, "invalid_avro", "event_id");
        avro("trailing byte", (e, b) -> Arrays.copyOf(b, b.length + 1), "invalid_avro", null);
        avro("text, not Avro", (e, b) -> utf8("definitely not avro"), "invalid_avro", "event_id");
        avro("JSON on the Avro topic", (e, b) -> utf8(writer.write(e)), "invalid_avro", "event_id");
        avro("string declaring 1 GiB", (e, b) -> concat(varint(1L << 30), utf8("abc")), "invalid_avro", "event_id");
        avro("array declaring 2^31 items", (e, b) -> concat(string("e"), string("c"), string("p"),
                varint(Integer.MAX_VALUE - 1L), string("a")), "invalid_avro", "responses");
        avro("map declaring 2^30 items", (e, b) -> concat(Arrays.copyOf(b, b.length - 1), varint(1L << 30)),
                "invalid_avro", "metadata");
        avro("negative string length", (e, b) -> concat(varint(-7), utf8("abcdefgh")), "invalid_avro", "event_id");
        avro("unknown annotator kind", (e, b) -> {
            b[indexOf(b, utf8(e.getAnnotator().getId())) + e.getAnnotator().getId().length()] = 20;
            return b;
        }, "invalid_avro", "annotator.kind");
        avro("unknown judgement branch", (e, b) -> {
            // after the last response's text come its null policy_version and the end of the array
            String last = e.getResponses().get(1).getText();
            b[indexOf(b, utf8(last)) + utf8(last).length + 2] = 14;
            return b;
        }, "invalid_avro", "judgement");
        avro("invalid UTF-8 in the prompt", (e, b) -> corruptUtf8(b, new byte[] {(byte) 0xC3, 0x28}), "invalid_utf8",
                "prompt");
        avro("invalid UTF-8 in a response", (e, b) -> {
            byte[] text = utf8(e.getResponses().get(1).getText());
            b[indexOf(b, text) + 2] = (byte) 0xFF;
            return b;
        }, "invalid_utf8", "responses[1].text");
        avro("invalid UTF-8 in the annotator", (e, b) -> {
            b[indexOf(b, utf8(e.getAnnotator().getId()))] = (byte) 0x80;
            return b;
        }, "invalid_utf8", "annotator.id");
    }

    /** A rule of the validator broken by {@code change}, sent in either form. */
    private void invalid(String category, Consumer<FeedbackEvent> change, String reason, String field) {
        cases.add(base -> {
            change.accept(base);
            Topic topic = randomTopic();
            return new Message(topic, encode(topic, base), null, category, new Fate.DeadLettered(reason, field));
        });
    }

    private void json(String category, Function<ObjectNode, byte[]> change, String reason, String field) {
        cases.add(base -> new Message(Topic.JSON, change.apply(tree(base)), null, "JSON: " + category,
                new Fate.DeadLettered(reason, field)));
    }

    private interface AvroChange {
        byte[] apply(FeedbackEvent event, byte[] encoded);
    }

    private void avro(String category, AvroChange change, String reason, String field) {
        cases.add(base -> new Message(Topic.AVRO, change.apply(base, codec.encode(base)), null, "Avro: " + category,
                new Fate.DeadLettered(reason, field)));
    }

    /**
     * An event id used before on the same topic (so after its original): with the same content, a redelivery to
     * filter; with another judgement, a conflict to dead-letter.
     */
    private Message reuse(FeedbackEvent base, boolean otherContent) {
        Topic topic = randomTopic();
        List<FeedbackEvent> before = placed.get(topic.ordinal());
        if (before.isEmpty()) {
            return new Message(topic, encode(topic, base), base.getEventId(), "identical responses",
                    identicalResponses(base));
        }
        FeedbackEvent original = FeedbackEvent.newBuilder(before.get(random.nextInt(before.size()))).build();
        // a redelivery may carry another time and metadata; content is the rest
        original.setEventTime(original.getEventTime().plusSeconds(1));
        original.setMetadata(Map.of("redelivered", "yes"));
        if (!otherContent) {
            return new Message(topic, encode(topic, original), original.getEventId(), "exact redelivery",
                    new Fate.Filtered("duplicate"));
        }
        if (original.getJudgement() instanceof PairwiseChoice c) {
            original.setJudgement(new PairwiseChoice(c.getPreferred().equals("a") ? "b" : "a", false, null));
        } else {
            original.setPrompt(original.getPrompt() + " (edited)");
        }
        return new Message(topic, encode(topic, original), original.getEventId(), "id reused with other content",
                new Fate.DeadLettered("conflicting_duplicate", "event_id"));
    }

    private static Fate identicalResponses(FeedbackEvent e) {
        e.getResponses().get(1).setText(e.getResponses().get(0).getText());
        return new Fate.Filtered("identical_responses");
    }

    /**
     * The large ones, a fixed number each: 1 MB prompts, oversize responses, values whose dead letter would quote
     * 600 KB, a value at Kafka's size limit.
     */
    private void addLarge() {
        for (Topic topic : Topic.values()) {
            for (int i = 0; i < 2; i++) {
                FeedbackEvent e = base();
                e.setPrompt("p".repeat(ONE_MB_PROMPT));
                insert(new Message(topic, encode(topic, e), null, "1 MB prompt",
                        new Fate.DeadLettered("too_large", "prompt")));
            }
            for (int i = 0; i < 20; i++) {
                FeedbackEvent e = base();
                e.getResponses().get(1).setText("r".repeat(OVERSIZE_RESPONSE));
                insert(new Message(topic, encode(topic, e), null, "response over the limit",
                        new Fate.DeadLettered("too_large", "responses[1].text")));
            }
            FeedbackEvent quoted = base();
            quoted.setJudgement(new PairwiseChoice("z".repeat(QUOTED), false, null));
            insert(new Message(topic, encode(topic, quoted), null, "600 KB preferred id, quoted",
                    new Fate.DeadLettered("unknown_response", "judgement.preferred")));
            FeedbackEvent key = base();
            key.setJudgement(new Ratings(Map.of("a", 1.0, "k".repeat(QUOTED), 2.0)));
            String path = "judgement.scores." + "k".repeat(QUOTED);
            // Jackson refuses a JSON name over 50,000 chars before prefpipe sees it
            insert(topic == Topic.AVRO
                    ? new Message(topic, encode(topic, key), null, "600 KB ratings key, quoted",
                            new Fate.DeadLettered("unknown_response",
                                    path.substring(0, DeadLetters.MAX_FIELD_CHARS) + "\u2026"))
                    : new Message(topic, encode(topic, key), null, "600 KB JSON name",
                            new Fate.DeadLettered("invalid_json", null)));
            FeedbackEvent e = base();
            e.setPrompt("");
            int rest = encode(topic, e).length;
            e.setPrompt("q".repeat(NEAR_KAFKA_LIMIT - rest - 3));
            byte[] value = encode(topic, e);
            insert(new Message(topic, value, null, "value at Kafka's size limit",
                    new Fate.DeadLettered("too_large", "prompt")));
        }
    }

    // ---- building blocks -----------------------------------------------------------------------------------------

    /** A valid event with ids of its own, ready to be broken. */
    private FeedbackEvent base() {
        int n = hostileSeq++;
        return FeedbackEvent.newBuilder()
                .setEventId("h-" + n)
                .setComparisonId("hc-" + n)
                .setPrompt("Hostile prompt \u00fc number " + n)
                .setResponses(new ArrayList<>(List.of(response("a", "Hostile answer A " + n),
                        response("b", "Hostile answer B " + n))))
                .setJudgement(new PairwiseChoice("a", false, null))
                .setShownOrder(List.of())
                .setAnnotator(new Annotator("ann-hostile-" + n, AnnotatorKind.HUMAN))
                .setEventTime(nextTime())
                .build();
    }

    private FeedbackEvent event(String eventId, String comparisonId, String prompt, List<Response> responses,
            Object judgement, String annotator) {
        return FeedbackEvent.newBuilder()
                .setEventId(eventId)
                .setComparisonId(comparisonId)
                .setPrompt(prompt)
                .setResponses(responses)
                .setJudgement(judgement)
                .setShownOrder(List.of())
                .setAnnotator(new Annotator(annotator, AnnotatorKind.HUMAN))
                .setEventTime(nextTime())
                .build();
    }

    private Instant nextTime() {
        return T0.plusMillis(time++);
    }

    private static Response response(String id, String text) {
        return Response.newBuilder().setId(id).setText(text).setPolicyVersion(null).build();
    }

    private static List<Response> manyResponses(int n) {
        List<Response> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(response("r" + i, "answer " + i));
        }
        return out;
    }

    private static PairwiseChoice choice(FeedbackEvent e) {
        return (PairwiseChoice) e.getJudgement();
    }

    private Topic randomTopic() {
        return random.nextBoolean() ? Topic.AVRO : Topic.JSON;
    }

    private byte[] encode(Topic topic, FeedbackEvent e) {
        return topic == Topic.AVRO ? codec.encode(e) : utf8(writer.write(e));
    }

    private ObjectNode tree(FeedbackEvent e) {
        try {
            return (ObjectNode) JSON.readTree(writer.write(e));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static byte[] set(ObjectNode j, String field, Object value) {
        j.set(field, JSON.valueToTree(value));
        return bytes(j);
    }

    private static byte[] bytes(JsonNode j) {
        return utf8(j.toString());
    }

    /** Replaces the prompt's "ü" (two bytes in UTF-8) with two other bytes. */
    private static byte[] corruptUtf8(byte[] value, byte[] with) {
        byte[] out = value.clone();
        int at = indexOf(out, utf8("\u00fc"));
        out[at] = with[0];
        out[at + 1] = with[1];
        return out;
    }

    private void add(Message m) {
        messages.add(m);
    }

    private void insert(Message m) {
        messages.add(random.nextInt(messages.size() + 1), m);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] string(String s) {
        return concat(varint(utf8(s).length), utf8(s));
    }

    private static byte[] varint(long n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
