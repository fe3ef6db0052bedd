package io.prefpipe.labeling.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.crowd.DawidSkeneModel;
import io.prefpipe.labeling.crowd.FlagThresholds;
import io.prefpipe.labeling.crowd.MajorityVoteAggregator;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrowdCsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void readAnswers_crlfBomAndQuotes_parsesWithNumericClassOrder() throws Exception {
        Path answers = write("answer.csv", "\uFEFFquestion,worker,answer\r\n"
                + "q1,w1,10\r\n\"q,2\",\"w \"\"2\"\"\",2\r\nq1,w2,2\r\n");
        CrowdDataset data = CrowdCsv.readAnswers(answers);
        assertThat(data.items().ids()).containsExactly("q1", "q,2");
        assertThat(data.annotators().ids()).containsExactly("w1", "w \"2\"", "w2");
        // "2" before "10": numeric order, not first-seen or lexicographic
        assertThat(data.classes().ids()).containsExactly("2", "10");
    }

    @Test
    void readAnswers_stringLabels_areLexicographic() throws Exception {
        CrowdDataset data = CrowdCsv.readAnswers(write("a.csv", "question,worker,answer\nq,w,pos\nq,v,neg\n"));
        assertThat(data.classes().ids()).containsExactly("neg", "pos");
    }

    @Test
    void readAnswers_badHeaderOrRow_namesFileAndLine() throws Exception {
        assertThatThrownBy(() -> CrowdCsv.readAnswers(write("h.csv", "task,worker,label\nq,w,1\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header must be question,worker,answer");
        assertThatThrownBy(() -> CrowdCsv.readAnswers(write("r.csv", "question,worker,answer\nq,w,1\nq,w\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r.csv:3: expected 3 fields");
    }

    @Test
    void readTruth_alignsWithItemsAndCountsStrangers() throws Exception {
        CrowdDataset data = CrowdCsv.readAnswers(write("a.csv", "question,worker,answer\nq1,w,0\nq2,w,1\nq3,w,1\n"));
        GoldLabels gold = CrowdCsv.readTruth(write("t.csv", "question,truth\nq2,1\nq1,7\nq9,0\n"), data);
        assertThat(gold.truth(0)).isEqualTo(GoldLabels.NOT_A_CLASS);
        assertThat(gold.truth(1)).isEqualTo(1);
        assertThat(gold.truth(2)).isEqualTo(GoldLabels.NO_TRUTH);
        assertThat(gold.itemsWithTruth()).isEqualTo(2);
        assertThat(gold.unknownItems()).isEqualTo(1);
    }

    @Test
    void writeAnswers_roundTrip_givesTheSameDataset() throws Exception {
        CrowdDataset data = CrowdDataset.builder().add("q,1", "w1", "yes").add("q2", "w\"2", "no")
                .add("q,1", "w2", "no").build();
        StringWriter out = new StringWriter();
        CrowdCsv.writeAnswers(data, out);
        CrowdDataset read = CrowdCsv.readAnswers(write("rt.csv", out.toString()));
        assertThat(triples(read)).isEqualTo(triples(data));
    }

    // judgements in item order as (item, annotator, label) ids: what survives a round trip, dense ints aside
    private static List<String> triples(CrowdDataset d) {
        return IntStream.range(0, d.numJudgements()).mapToObj(j -> d.items().id(d.item(j)) + "|"
                + d.annotators().id(d.annotator(j)) + "|" + d.classes().id(d.label(j))).toList();
    }

    @Test
    void writeLabels_undecidedItem_hasAnEmptyLabel() throws Exception {
        CrowdDataset data = CrowdDataset.builder().add("q1", "a", "x").add("q1", "b", "x").add("q2", "a", "x")
                .add("q2", "b", "y").build();
        StringWriter out = new StringWriter();
        CrowdCsv.writeLabels(new MajorityVoteAggregator().fit(data), out);
        assertThat(out.toString()).isEqualTo("item,label,confidence\nq1,x,1.000000\nq2,,0.500000\n");
    }

    @Test
    void writeAnnotators_dawidSkene_writesConfusionAndFlags() throws Exception {
        CrowdDataset.Builder b = CrowdDataset.builder().setClasses(List.of("0", "1"));
        for (int i = 0; i < 30; i++) {
            String truth = i % 2 == 0 ? "0" : "1";
            String wrong = i % 2 == 0 ? "1" : "0";
            b.add("q" + i, "good1", truth).add("q" + i, "good2", truth).add("q" + i, "good3", truth)
                    .add("q" + i, "liar", wrong);
        }
        AggregationResult<DawidSkeneModel> r = new DawidSkeneAggregator().fit(b.build());
        StringWriter out = new StringWriter();
        CrowdCsv.writeAnnotators(r.model(), FlagThresholds.DEFAULTS, out);
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).isEqualTo("annotator,judgements,accuracy,informativeness,p_first_shown,"
                + "p(0|0),p(1|0),p(0|1),p(1|1),flags");
        assertThat(lines).hasSize(5);
        assertThat(lines[4]).startsWith("liar,30,0.0").endsWith(",ADVERSARIAL").contains(",,");
        assertThat(lines[1]).startsWith("good1,30,0.99").endsWith(",");
    }
}
