package io.prefpipe.app.demo;

import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Response;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's synthetic feedback, produced to Kafka: judgements by simulated annotators (with redeliveries and
 * malformed events), a seeded share of them as JSON through a plain string producer, the rest as Avro. Also decides
 * the same judgements by majority vote in one batch, as a baseline, and collects the responses the annotators were
 * shown, which the demo's policy imitates in its warm-up.
 */
final class SyntheticBacklog {
    private static final long JSON_SHARE_SALT = 0x4A534F4E5F534852L;

    private SyntheticBacklog() {}

    /**
     * What was produced.
     *
     * @param byTopic messages produced to each feedback topic
     * @param majorityVote majority vote over the valid judgements, decided in one batch
     * @param responses every (prompt, response) of a valid judgement, once, in the order first seen
     */
    record Produced(Map<String, Long> byTopic, MajorityVoteBaseline.Result majorityVote,
            Set<PromptResponse> responses) {
        long events() {
            return byTopic.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Produces the feedback of {@code options}, its first event time {@code start}. */
    static Produced produce(DemoOptions options, Instant start, String bootstrap, String feedbackTopic,
            String jsonTopic, String dlqTopic, SyntheticWorld world, PrintStream console) {
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(options.seed())
                .setComparisons(options.comparisons())
                .setJudgements(options.judgements())
                .setAnnotators(options.annotators())
                .setRedeliveryRate(options.redeliveryRate())
                .setMalformedRate(options.malformedRate())
                .setStart(start)
                .build(), world);
        console.printf("      %d judgements on %d comparisons by %d simulated annotators (%s)%n",
                options.judgements(), options.comparisons(), options.annotators(), annotatorMix(feedback));
        FeedbackValidator validator = FeedbackValidator.withDefaults();
        MajorityVoteBaseline baseline = new MajorityVoteBaseline(world, validator);
        Set<PromptResponse> responses = new LinkedHashSet<>();
        // Which events go as JSON is drawn from its own stream, so the events themselves stay what the seed makes.
        Random toJson = new Random(options.seed() ^ JSON_SHARE_SALT);
        PrefpipeJsonWriter json = new PrefpipeJsonWriter();
        long avroSent = 0;
        long jsonSent = 0;
        try (FeedbackProducer producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(bootstrap).setFeedbackTopic(feedbackTopic).setDeadLetterTopic(dlqTopic)
                .build());
                JsonFeedbackClient jsonClient = new JsonFeedbackClient(bootstrap, jsonTopic)) {
            for (FeedbackEvent e : feedback) {
                if (toJson.nextDouble() < options.jsonShare()) {
                    jsonClient.send(e.getComparisonId(), json.write(e));
                    jsonSent++;
                } else {
                    producer.send(e);
                    avroSent++;
                }
                baseline.accept(e);
                if (validator.validate(e).isEmpty()) {
                    for (Response r : e.getResponses()) {
                        responses.add(new PromptResponse(e.getPrompt(), r.getText()));
                    }
                }
                if ((avroSent + jsonSent) % 5_000 == 0) {
                    console.printf("      ... %d events sent%n", avroSent + jsonSent);
                }
            }
            producer.flush();
            jsonClient.flush();
        }
        console.printf("      %d events produced (including redeliveries and malformed events): %d as Avro to '%s',"
                + " %d as JSON to '%s'%n", avroSent + jsonSent, avroSent, feedbackTopic, jsonSent, jsonTopic);
        Map<String, Long> byTopic = new TreeMap<>(Map.of(feedbackTopic, avroSent, jsonTopic, jsonSent));
        return new Produced(byTopic, baseline.result(), responses);
    }

    private static String annotatorMix(SyntheticFeedback feedback) {
        Map<String, Integer> byBehaviour = new LinkedHashMap<>();
        feedback.annotators().forEach(a -> byBehaviour.merge(a.behaviour().name().toLowerCase(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byBehaviour.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }
}
