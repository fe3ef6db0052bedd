package io.prefpipe.app.candidates;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.AvroDecodeException;
import io.prefpipe.ingestion.kafka.FeedbackProducer;
import io.prefpipe.ingestion.kafka.FeedbackProducerConfig;
import io.prefpipe.ingestion.synthetic.SimulatedAnnotator;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotationRequest;
import io.prefpipe.schema.CandidateResponse;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated annotators at work on the candidates topic, as an annotation tool's users would be: a background thread
 * reads every {@link AnnotationRequest} ({@code read_committed}, in a consumer group, so a restart goes on where the
 * last one committed) and has {@code perComparison} distinct annotators of a synthetic pool judge it by the world's true
 * preference probability, each with their own behaviour (accurate, noisy, spammer, adversarial, position-biased) and a
 * display order drawn at random. The judgements go to the feedback topic as ordinary {@link FeedbackEvent}s, from where
 * the curation job curates them like any other feedback.
 *
 * <p>Deterministic per comparison: who judges and how depends only on the seed and the comparison id, and the event
 * ids are {@code <comparison id>/<annotator id>}, so a request read twice (after a crash before the offsets were
 * committed) yields the same events again, which curation drops as duplicates. Only event times are the clock's.
 */
public final class SimulatedAnnotators implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAnnotators.class);
    private static final Duration POLL = Duration.ofMillis(300);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final FeedbackProducer producer;
    private final SyntheticWorld world;
    private final List<SimulatedAnnotator> pool;
    private final int perComparison;
    private final long seed;
    private final Clock clock;
    private final AvroCodec<AnnotationRequest> codec = new AvroCodec<>(AnnotationRequest.class);
    private final AtomicLong judgements = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;

    private SimulatedAnnotators(Settings settings, SyntheticWorld world, List<SimulatedAnnotator> pool, Clock clock) {
        if (settings.perComparison() < 1 || settings.perComparison() > pool.size()) {
            throw new IllegalArgumentException("perComparison must be in [1, " + pool.size() + "], got "
                    + settings.perComparison());
        }
        this.world = Objects.requireNonNull(world, "world");
        this.pool = List.copyOf(pool);
        this.perComparison = settings.perComparison();
        this.seed = settings.seed();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new FeedbackProducer(FeedbackProducerConfig.builder()
                .setBootstrapServers(settings.bootstrap())
                .setFeedbackTopic(settings.feedbackTopic())
                .setDeadLetterTopic(settings.deadLetterTopic())
                .build());
        consumer.subscribe(List.of(settings.candidatesTopic()));
        this.thread = new Thread(this::work, "simulated-annotators");
        thread.setDaemon(true);
    }

    /**
     * Where the annotators read and write.
     *
     * @param bootstrap the Kafka cluster
     * @param candidatesTopic the topic of {@link AnnotationRequest}s
     * @param feedbackTopic where judgements go (Avro {@link FeedbackEvent}s)
     * @param deadLetterTopic the feedback producer's dead-letter topic (unused: every event is valid)
     * @param groupId the consumer group that keeps their place
     * @param perComparison how many annotators judge each request
     * @param seed decides who judges and how
     */
    public record Settings(String bootstrap, String candidatesTopic, String feedbackTopic, String deadLetterTopic,
            String groupId, int perComparison, long seed) {}

    /** Starts judging in the background, with {@code pool} (e.g. a {@code SyntheticFeedback}'s annotators). */
    public static SimulatedAnnotators start(Settings settings, SyntheticWorld world, List<SimulatedAnnotator> pool,
            Clock clock) {
        SimulatedAnnotators annotators = new SimulatedAnnotators(settings, world, pool, clock);
        annotators.thread.start();
        return annotators;
    }

    /** The judgements one request gets; what the background thread sends for it. */
    List<FeedbackEvent> judge(AnnotationRequest request) {
        if (request.getResponses().size() != 2) {
            throw new IllegalArgumentException("request " + request.getComparisonId() + " has "
                    + request.getResponses().size() + " responses; simulated annotators judge pairs");
        }
        Random random = new Random(seed ^ request.getComparisonId().hashCode() * 0x9E3779B97F4A7C15L);
        int[] order = new int[pool.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        CandidateResponse r1 = request.getResponses().get(0);
        CandidateResponse r2 = request.getResponses().get(1);
        List<Response> responses = List.of(response(r1, request), response(r2, request));
        List<FeedbackEvent> events = new ArrayList<>(perComparison);
        for (int j = 0; j < perComparison; j++) {
            int pick = j + random.nextInt(order.length - j);
            int swap = order[j];
            order[j] = order[pick];
            order[pick] = swap;
            SimulatedAnnotator annotator = pool.get(order[j]);
            boolean r1First = random.nextBoolean();
            CandidateResponse first = r1First ? r1 : r2;
            CandidateResponse second = r1First ? r2 : r1;
            double p = world.truePreferenceProbability(request.getPrompt(), first.getText(), second.getText());
            boolean prefersFirst = annotator.prefersFirstShown(p, random);
            events.add(FeedbackEvent.newBuilder()
                    .setEventId(request.getComparisonId() + "/" + annotator.id())
                    .setComparisonId(request.getComparisonId())
                    .setPrompt(request.getPrompt())
                    .setResponses(responses)
                    .setJudgement(PairwiseChoice.newBuilder()
                            .setPreferred((prefersFirst ? first : second).getId()).build())
                    .setShownOrder(List.of(first.getId(), second.getId()))
                    .setAnnotator(new Annotator(annotator.id(), annotator.kind()))
                    .setEventTime(clock.instant())
                    .setMetadata(Map.of("source", "simulated-annotators"))
                    .build());
        }
        return events;
    }

    /** Judgements sent and acknowledged so far. */
    public long judgements() {
        return judgements.get();
    }

    /**
     * Throws what stopped the background thread, if anything did.
     *
     * @throws IllegalStateException with the failure as its cause
     */
    public void check() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the simulated annotators stopped: " + e.getMessage(), e);
        }
    }

    /** Stops the thread after its current batch and closes the clients. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                long sent = 0;
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    AnnotationRequest request;
                    try {
                        request = codec.decode(r.value());
                    } catch (AvroDecodeException e) {
                        LOG.warn("skipping {}/{}@{}: not an AnnotationRequest: {}", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                        continue;
                    }
                    for (FeedbackEvent e : judge(request)) {
                        producer.send(e);
                        sent++;
                    }
                }
                if (!batch.isEmpty()) {
                    producer.flush();
                    judgements.addAndGet(sent);
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            LOG.error("simulated annotators stopped", e);
            failure.set(e);
        } finally {
            consumer.close();
            producer.close();
        }
    }

    private static Response response(CandidateResponse candidate, AnnotationRequest request) {
        return Response.newBuilder().setId(candidate.getId()).setText(candidate.getText())
                .setPolicyVersion(request.getCheckpointId()).build();
    }
}
