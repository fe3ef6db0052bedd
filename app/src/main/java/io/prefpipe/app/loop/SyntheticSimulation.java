package io.prefpipe.app.loop;

import io.prefpipe.app.candidates.SimulatedAnnotators;
import io.prefpipe.app.eval.TrueRewardEvaluation;
import io.prefpipe.ingestion.synthetic.SimulatedAnnotator;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PolicyModel;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link SyntheticWorld} as the loop's {@link SimulatedWorld}: its simulated annotators (the synthetic feedback's
 * pool and mix of behaviours for the loop's seed) judge the candidates, and its hidden true reward scores policies on
 * the held-out prompts no training pair uses.
 *
 * <p>Figures: {@value #WIN_RATE} (the policy's samples against the initial policy's, prompt by prompt, ties half),
 * {@value #MEAN} and {@value #MEAN_INITIAL} (mean true reward of each), {@value #LABEL_ACCURACY} (share of the
 * snapshot's pairs whose chosen response has the higher true reward, ties half). The initial policy's samples are
 * drawn once per instance and reused, so every iteration is compared with the same ones.
 */
public final class SyntheticSimulation implements SimulatedWorld {
    public static final String WIN_RATE = "true_reward_win_rate";
    public static final String MEAN = "true_reward_mean";
    public static final String MEAN_INITIAL = "true_reward_mean_initial";
    public static final String LABEL_ACCURACY = "label_accuracy";
    private static final int MAX_NEW_TOKENS = 48;

    private final SyntheticWorld world;
    private final LoopConfig.Synthetic settings;
    private final long seed;
    private final TrueRewardEvaluation evaluation;
    private List<String> initialSamples;

    public SyntheticSimulation(SyntheticWorld world, LoopConfig.Synthetic settings, long seed) {
        this.world = Objects.requireNonNull(world, "world");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.evaluation = new TrueRewardEvaluation(world, world.heldOutPrompts(), settings.evalSamplesPerPrompt(),
                MAX_NEW_TOKENS, settings.evalTemperature());
    }

    @Override
    public Annotators startAnnotators(LoopConfig config) {
        List<SimulatedAnnotator> pool = new SyntheticFeedback(SyntheticFeedbackConfig.builder(config.seed())
                .setAnnotators(settings.annotators())
                .setComparisons(1)
                .setJudgements(1)
                .build(), world).annotators();
        SimulatedAnnotators annotators = SimulatedAnnotators.start(new SimulatedAnnotators.Settings(
                config.kafka().bootstrap(), config.kafka().candidates(), config.kafka().feedback(),
                config.kafka().deadLetters(), config.name() + "-annotators", settings.judgementsPerComparison(),
                config.seed()), world, pool, Clock.systemUTC());
        return new Annotators() {
            @Override
            public long judgements() {
                return annotators.judgements();
            }

            @Override
            public void check() {
                annotators.check();
            }

            @Override
            public void close() {
                annotators.close();
            }
        };
    }

    @Override
    public Map<String, Double> measure(PolicyModel policy, PolicyModel initial, List<PreferenceExample> pairs) {
        if (initialSamples == null) {
            initialSamples = evaluation.sample(initial, seed + 2);
        }
        List<String> own = evaluation.sample(policy, seed + 1);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(WIN_RATE, evaluation.winRate(own, initialSamples));
        m.put(MEAN, evaluation.meanReward(own));
        m.put(MEAN_INITIAL, evaluation.meanReward(initialSamples));
        if (!pairs.isEmpty()) {
            double correct = 0;
            for (PreferenceExample p : pairs) {
                correct += TrueRewardEvaluation.credit(world, p.prompt(), p.chosen(), p.rejected());
            }
            m.put(LABEL_ACCURACY, correct / pairs.size());
        }
        return m;
    }
}
