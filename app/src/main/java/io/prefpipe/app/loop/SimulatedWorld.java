package io.prefpipe.app.loop;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PolicyModel;
import java.util.List;
import java.util.Map;

/**
 * What only a simulated world can do for the loop: judge the published candidates (there are no people to ask) and
 * tell how good a policy really is (it knows the true reward). {@code prefpipe run} on real feedback has none; then
 * candidates wait for real annotators, and evaluation reports only what the data and the models tell.
 */
public interface SimulatedWorld {

    /** Annotators at work in the background. */
    interface Annotators extends AutoCloseable {
        /** Judgements sent so far. */
        long judgements();

        /** Throws what stopped them, if anything did. */
        void check();

        /** Stops them. */
        @Override
        void close();
    }

    /**
     * Starts annotators that judge the comparisons published on the candidates topic and send their judgements to the
     * feedback topic, until closed.
     */
    Annotators startAnnotators(LoopConfig config);

    /**
     * Figures only the world knows, by name: e.g. the true-reward win rate of {@code policy} against {@code initial},
     * and the share of the snapshot's pairs whose chosen response really is the better one.
     */
    Map<String, Double> measure(PolicyModel policy, PolicyModel initial, List<PreferenceExample> snapshotPairs);
}
