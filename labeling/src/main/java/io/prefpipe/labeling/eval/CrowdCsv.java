package io.prefpipe.labeling.eval;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.AnnotatorFlag;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.AnnotatorProfile;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.FlagThresholds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads and writes the crowd-truth CSV formats (Zheng et al., "Truth Inference in Crowdsourcing: Is the Problem
 * Solved?", PVLDB 10(5), 2017): UTF-8, one header line, comma-separated, fields optionally double-quoted with
 * {@code ""} for a quote (a quoted field may not span lines), CRLF or LF line ends.
 *
 * <ul>
 *   <li>answers: {@code question,worker,answer}
 *   <li>truth: {@code question,truth}
 *   <li>labels (written): {@code item,label,confidence}; label is empty when undecided
 *   <li>annotators (written): {@code annotator,judgements,accuracy,informativeness,p_first_shown,<method
 *       estimates>,flags}; NaN is written as an empty field, flags as {@code |}-separated names
 * </ul>
 */
public final class CrowdCsv {
    private static final List<String> ANSWER_HEADER = List.of("question", "worker", "answer");
    private static final List<String> TRUTH_HEADER = List.of("question", "truth");

    private CrowdCsv() {}

    /**
     * Reads answers into a dataset. Labels may be any strings; they become dense class ids in numeric order when
     * every label is an integer, else in lexicographic order, so class ids do not depend on row order.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the line when the header or a row is malformed
     */
    public static CrowdDataset readAnswers(Path answers) throws IOException {
        List<String[]> rows = read(answers, ANSWER_HEADER);
        Set<String> labels = rows.stream().map(r -> r[2]).collect(Collectors.toSet());
        CrowdDataset.Builder b = CrowdDataset.builder().setClasses(sortedClasses(labels));
        for (String[] r : rows) {
            b.add(r[0], r[1], r[2]);
        }
        return b.build();
    }

    /**
     * Reads truth for the items of {@code data}.
     *
     * @throws IllegalArgumentException naming the line when the header or a row is malformed, or an item has two
     *     truths
     */
    public static GoldLabels readTruth(Path truth, CrowdDataset data) throws IOException {
        Map<String, String> byItem = new LinkedHashMap<>();
        for (String[] r : read(truth, TRUTH_HEADER)) {
            String previous = byItem.put(r[0], r[1]);
            if (previous != null && !previous.equals(r[1])) {
                throw new IllegalArgumentException(truth + ": item " + r[0] + " has two truths, " + previous + " and "
                        + r[1]);
            }
        }
        return GoldLabels.of(data, byItem);
    }

    /** Writes a dataset's judgements as {@code question,worker,answer}, in the dataset's judgement order. */
    public static void writeAnswers(CrowdDataset data, Writer out) throws IOException {
        out.write(String.join(",", ANSWER_HEADER) + "\n");
        for (int j = 0; j < data.numJudgements(); j++) {
            writeRow(out, data.items().id(data.item(j)), data.annotators().id(data.annotator(j)),
                    data.classes().id(data.label(j)));
        }
    }

    /** Writes {@code item,label,confidence} per item; label is empty when undecided, confidence the max posterior. */
    public static void writeLabels(AggregationResult<?> result, Writer out) throws IOException {
        out.write("item,label,confidence\n");
        for (int i = 0; i < result.numItems(); i++) {
            int d = result.decided(i);
            writeRow(out, result.items().id(i), d == AggregationResult.UNDECIDED ? "" : result.classes().id(d),
                    number(result.confidence(i)));
        }
    }

    /** Writes one row per annotator the model knows, with their profile, the method's estimates and flags. */
    public static void writeAnnotators(AnnotatorModel model, FlagThresholds thresholds, Writer out)
            throws IOException {
        List<String> header = new ArrayList<>(List.of("annotator", "judgements", "accuracy", "informativeness",
                "p_first_shown"));
        header.addAll(model.estimateNames());
        header.add("flags");
        writeRow(out, header.toArray(new String[0]));
        for (String id : model.annotators().ids()) {
            AnnotatorProfile p = model.profile(id);
            List<String> row = new ArrayList<>(List.of(id, Integer.toString(p.judgements()), number(p.accuracy()),
                    number(p.informativeness()), number(p.pFirstShown())));
            for (double e : model.estimates(id)) {
                row.add(number(e));
            }
            row.add(thresholds.flags(p, model.classes().size()).stream().map(AnnotatorFlag::name)
                    .collect(Collectors.joining("|")));
            writeRow(out, row.toArray(new String[0]));
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static List<String> sortedClasses(Set<String> labels) {
        boolean numeric = labels.stream().allMatch(l -> l.matches("-?\\d{1,18}"));
        Comparator<String> order = numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
        TreeSet<String> sorted = new TreeSet<>(order);
        sorted.addAll(labels);
        return List.copyOf(sorted);
    }

    private static List<String[]> read(Path file, List<String> header) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                throw new IllegalArgumentException(file + ": empty file, expected header " + header);
            }
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            List<String> seen = parse(line, file, 1).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            if (!seen.equals(header)) {
                throw new IllegalArgumentException(file + ": header must be " + String.join(",", header) + ", got "
                        + line);
            }
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = parse(line, file, lineNo);
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected " + header.size()
                            + " fields, got " + fields.size());
                }
                String[] row = new String[fields.size()];
                for (int f = 0; f < row.length; f++) {
                    row[f] = fields.get(f);
                    if (row[f].isEmpty()) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": " + header.get(f) + " is empty");
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Splits one line into fields, honouring double quotes. */
    static List<String> parse(String line, Path file, int lineNo) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int p = 0; p < line.length(); p++) {
            char ch = line.charAt(p);
            if (quoted) {
                if (ch == '"' && p + 1 < line.length() && line.charAt(p + 1) == '"') {
                    field.append('"');
                    p++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": unterminated quote");
        }
        fields.add(field.toString());
        return fields;
    }

    private static void writeRow(Writer out, String... fields) throws IOException {
        for (int f = 0; f < fields.length; f++) {
            if (f > 0) {
                out.write(',');
            }
            out.write(quote(fields[f]));
        }
        out.write('\n');
    }

    private static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
