package io.prefpipe.flink.cluster;

import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Seeded synthetic feedback (noisy annotators, redeliveries, malformed events) on an Avro topic and a JSON topic of
 * several partitions, keyed by comparison id as producers key it, and what must come of it.
 *
 * @param avroTopic the Avro feedback topic
 * @param jsonTopic the JSON feedback topic
 * @param avroEvents events sent as Avro
 * @param jsonEvents events sent as JSON
 * @param redeliveries copies of an event already sent, to be filtered as duplicates
 * @param malformed events that break a validation rule, to be dead-lettered
 */
record SyntheticStream(String avroTopic, String jsonTopic, long avroEvents, long jsonEvents, long redeliveries,
        long malformed) {

    /** Creates both topics with {@code partitions} partitions and sends {@code config}'s events, a tenth as JSON. */
    static SyntheticStream produce(String bootstrap, String suffix, int partitions, SyntheticFeedbackConfig config)
            throws Exception {
        return produce(bootstrap, suffix, partitions, config, () -> {});
    }

    /** What a test does between the two halves of a stream. */
    interface Halfway {
        void run() throws Exception;
    }

    /**
     * {@link #produce(String, String, int, SyntheticFeedbackConfig)}, calling {@code halfway} once the first half of
     * the events is acknowledged and before the second half is sent.
     */
    static SyntheticStream produce(String bootstrap, String suffix, int partitions, SyntheticFeedbackConfig config,
            Halfway halfway) throws Exception {
        String avroTopic = avroTopic(suffix);
        String jsonTopic = jsonTopic(suffix);
        Topics.ensure(bootstrap, List.of(avroTopic, jsonTopic), partitions, (short) 1);
        AvroCodec<FeedbackEvent> avro = new AvroCodec<>(FeedbackEvent.class);
        PrefpipeJsonWriter json = new PrefpipeJsonWriter();
        Random toJson = new Random(config.seed());
        Set<String> seen = new HashSet<>();
        long avroEvents = 0;
        long jsonEvents = 0;
        long redeliveries = 0;
        long malformed = 0;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            List<FeedbackEvent> events = new ArrayList<>();
            new SyntheticFeedback(config).forEach(events::add);
            for (int i = 0; i < events.size(); i++) {
                if (i == events.size() / 2) {
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                    halfway.run();
                }
                FeedbackEvent e = events.get(i);
                if (e.getEventId().startsWith("bad-")) {
                    malformed++;
                } else if (!seen.add(e.getEventId())) {
                    redeliveries++;
                }
                if (toJson.nextDouble() < 0.1) {
                    sent.add(producer.send(new ProducerRecord<>(jsonTopic, e.getComparisonId(),
                            json.write(e).getBytes(StandardCharsets.UTF_8))));
                    jsonEvents++;
                } else {
                    sent.add(producer.send(new ProducerRecord<>(avroTopic, e.getComparisonId(), avro.encode(e))));
                    avroEvents++;
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        return new SyntheticStream(avroTopic, jsonTopic, avroEvents, jsonEvents, redeliveries, malformed);
    }

    /**
     * The job arguments that point a curation job at this stream: the broker, both feedback topics, and output topics,
     * consumer group and transactional ids named after {@code run}, so that runs on one broker do not meet.
     */
    List<String> jobArguments(String bootstrap, String run) {
        return jobArguments(bootstrap, avroTopic, jsonTopic, run);
    }

    /** {@link #jobArguments(String, String)} of the stream {@link #produce} sends with {@code suffix}. */
    static List<String> jobArguments(String bootstrap, String suffix, String run) {
        return jobArguments(bootstrap, avroTopic(suffix), jsonTopic(suffix), run);
    }

    private static List<String> jobArguments(String bootstrap, String avroTopic, String jsonTopic, String run) {
        return List.of(
                "--bootstrap", bootstrap,
                "--feedback-topic", avroTopic,
                "--feedback-json-topic", jsonTopic,
                "--dead-letter-topic", "dlq-" + run,
                "--pairs-topic", "pairs-" + run,
                "--annotators-topic", "annotators-" + run,
                "--group-id", "curate-" + run,
                "--transactional-id-prefix", "curate-" + run);
    }

    private static String avroTopic(String suffix) {
        return "feedback-" + suffix;
    }

    private static String jsonTopic(String suffix) {
        return "feedback.json-" + suffix;
    }

    long events() {
        return avroEvents + jsonEvents;
    }
}
