package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceLogProbsTest {
    private static final List<PreferenceExample> TOY = PreferenceTrainerTest.TOY;
    private static final int[] ALL = {0, 1, 2, 3};

    @TempDir Path dir;

    @Test
    void cached_secondRun_readsTheFileInsteadOfScoring() throws Exception {
        try (PolicyModel reference = PolicyModel.create(PreferenceTrainerTest.SMALL, 1)) {
            String fingerprint = ReferenceLogProbs.fingerprint(reference);
            AtomicInteger scored = new AtomicInteger();
            ReferenceLogProbs first = ReferenceLogProbs.cached(dir, fingerprint, TOY, () -> {
                scored.incrementAndGet();
                return ReferenceLogProbs.score(reference, TOY);
            });
            ReferenceLogProbs second = ReferenceLogProbs.cached(dir, fingerprint, TOY, () -> {
                scored.incrementAndGet();
                return ReferenceLogProbs.score(reference, TOY);
            });

            assertThat(scored).hasValue(1);
            assertThat(second.chosen(ALL)).containsExactly(first.chosen(ALL));
            assertThat(second.rejected(ALL)).containsExactly(first.rejected(ALL));
            double expected = reference.logProbs(List.of(new PromptResponse("b", "no"))).get(0).logProb();
            assertThat(first.rejected(new int[] {1})[0]).isCloseTo((float) expected, within(1e-5f));
            assertThat(names()).containsExactly(cacheFile(TOY));
        }
    }

    @Test
    void cached_otherReferenceOrOtherExamples_recomputes() throws Exception {
        try (PolicyModel reference = PolicyModel.create(PreferenceTrainerTest.SMALL, 1);
                PolicyModel other = PolicyModel.create(PreferenceTrainerTest.SMALL, 2)) {
            ReferenceLogProbs first = ReferenceLogProbs.cached(dir, reference, TOY);
            ReferenceLogProbs ofOther = ReferenceLogProbs.cached(dir, other, TOY);
            assertThat(ofOther.referenceFingerprint()).isNotEqualTo(first.referenceFingerprint());
            assertThat(ofOther.chosen(ALL)).isNotEqualTo(first.chosen(ALL));
            assertThat(ofOther.chosen(ALL)).containsExactly(ReferenceLogProbs.score(other, TOY).chosen(ALL));

            AtomicInteger scored = new AtomicInteger();
            List<PreferenceExample> fewer = TOY.subList(0, 3);
            ReferenceLogProbs ofFewer = ReferenceLogProbs.cached(dir, ReferenceLogProbs.fingerprint(other), fewer,
                    () -> {
                        scored.incrementAndGet();
                        return ReferenceLogProbs.score(other, fewer);
                    });
            assertThat(scored).hasValue(1);
            assertThat(ofFewer.size()).isEqualTo(3);
            // one file per set of examples: the other reference replaced the first file, the subset has its own
            assertThat(names()).containsExactlyInAnyOrder(cacheFile(TOY), cacheFile(fewer));
            assertThat(ReferenceLogProbs.cached(dir, other, TOY).chosen(ALL)).containsExactly(ofOther.chosen(ALL));
        }
    }

    @Test
    void fingerprint_sameParametersSameFingerprint() {
        try (PolicyModel a = PolicyModel.create(PreferenceTrainerTest.SMALL, 1);
                PolicyModel copy = a.frozenCopy();
                PolicyModel b = PolicyModel.create(PreferenceTrainerTest.SMALL, 2)) {
            assertThat(ReferenceLogProbs.fingerprint(copy)).isEqualTo(ReferenceLogProbs.fingerprint(a)).hasSize(64);
            assertThat(ReferenceLogProbs.fingerprint(b)).isNotEqualTo(ReferenceLogProbs.fingerprint(a));
        }
    }

    @Test
    void digest_dependsOnIdsTextsAndOrder() {
        String digest = ReferenceLogProbs.digest(TOY);
        assertThat(ReferenceLogProbs.digest(List.copyOf(TOY))).isEqualTo(digest);
        assertThat(ReferenceLogProbs.digest(List.of(TOY.get(1), TOY.get(0), TOY.get(2), TOY.get(3))))
                .isNotEqualTo(digest);
        assertThat(ReferenceLogProbs.digest(List.of(TOY.get(0), TOY.get(1), TOY.get(2),
                PreferenceExample.of("p4", "ok", "yes", "nope")))).isNotEqualTo(digest);
        // the boundaries between fields count: ("ab", "c") is not ("a", "bc")
        assertThat(ReferenceLogProbs.digest(List.of(PreferenceExample.of("x", "ab", "c", "d"))))
                .isNotEqualTo(ReferenceLogProbs.digest(List.of(PreferenceExample.of("x", "a", "bc", "d"))));
    }

    private static String cacheFile(List<PreferenceExample> examples) {
        return ReferenceLogProbs.FILE_PREFIX + ReferenceLogProbs.digest(examples).substring(0, 16) + ".bin";
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
