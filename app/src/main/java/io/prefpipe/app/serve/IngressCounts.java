package io.prefpipe.app.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code prefpipe serve} has done since it started: requests by outcome and events by fate. Every event in a
 * readable request is counted once: {@value #ACCEPTED}, {@code invalid.<reason>}, {@value #REFUSED_WITH_REQUEST} (a
 * valid event in a request refused for another, invalid one) or {@value #NOT_ACKNOWLEDGED}. Thread-safe; a later
 * metrics route reads {@link #requests()} and {@link #events()}.
 */
public final class IngressCounts {
    /** Request outcome (202) and event fate: written and acknowledged by Kafka. */
    public static final String ACCEPTED = "accepted";
    /** Request outcome (400): at least one event is invalid. */
    public static final String INVALID = "invalid";
    /** Request outcome (400): an empty array. */
    public static final String NO_EVENTS = "no_events";
    /** Request outcome (401). */
    public static final String UNAUTHORIZED = "unauthorized";
    /** Request outcome (413). */
    public static final String TOO_LARGE = "too_large";
    /** Request outcome (503) and event fate: Kafka did not acknowledge in time. */
    public static final String NOT_ACKNOWLEDGED = "not_acknowledged";
    /** Event fate: valid, but refused with its request because another event in it is invalid. */
    public static final String REFUSED_WITH_REQUEST = "refused_with_request";
    /** Prefix of the event fate of an invalid event, followed by its reason code. */
    public static final String INVALID_PREFIX = "invalid.";

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

    void request(String outcome) {
        requests.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    void events(String fate, long n) {
        if (n > 0) {
            events.computeIfAbsent(fate, k -> new LongAdder()).add(n);
        }
    }

    /** Requests by outcome, sorted by outcome. */
    public Map<String, Long> requests() {
        return snapshot(requests);
    }

    /** Events by fate, sorted by fate. */
    public Map<String, Long> events() {
        return snapshot(events);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
