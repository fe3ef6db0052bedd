package io.prefpipe.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prefpipe.app.http.PrefpipeServer;
import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.app.monitor.MonitorSnapshot;
import io.prefpipe.app.monitor.PipelineMonitor;
import io.prefpipe.app.monitor.TestPipelineData;
import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.synthetic.AnnotatorBehaviour;
import io.prefpipe.ingestion.synthetic.SimulatedAnnotator;
import io.prefpipe.ingestion.synthetic.SyntheticFeedback;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium while a small pipeline runs: synthetic feedback from 20 simulated
 * annotators (two of them spammers) on a real broker, curated by the Flink job with Dawid-Skene, and checkpoint events
 * as the training loop would publish them. The page is loaded before anything is curated and must fill in live: every
 * chart drawn with data, and the annotator table flagging the spammers. A screenshot is kept in
 * {@code target/dashboard/}.
 */
class DashboardBrowserITCase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "dashboard", "dashboard.png");
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    /** Counts, per chart of the page, the data points that hold a value other than 0; and its drawn elements. */
    private static final String CHART_DATA = """
            const out = {};
            for (const [name, chart] of Object.entries(window.prefpipeDashboard.charts)) {
              let points = 0;
              for (const s of chart.getOption().series || []) {
                for (const d of s.data || []) {
                  const v = Array.isArray(d) ? d[d.length - 1] : (d !== null && typeof d === 'object' && 'value' in d)
                      ? d.value : d;
                  if (v !== null && v !== undefined && v !== 0) points++;
                }
              }
              out[name] = { points: points, drawn: chart.getZr().storage.getDisplayList().length,
                  canvas: chart.getDom().querySelector('canvas') !== null };
            }
            return out;
            """;

    @Test
    @Timeout(300)
    void page_whileAPipelineRuns_drawsEveryChartAndFlagsTheSpammers() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); "
                        + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        String run = UUID.randomUUID().toString();
        String bootstrap = KAFKA.bootstrapServers();
        MonitorConfig monitorConfig = MonitorConfig.builder(bootstrap)
                .setFeedbackTopic("feedback-" + run)
                .setFeedbackJsonTopic("feedback-json-" + run)
                .setDeadLetterTopic("dlq-" + run)
                .setPairsTopic("pairs-" + run)
                .setAnnotatorsTopic("annotators-" + run)
                .setCheckpointsTopic("checkpoints-" + run)
                .setCurationGroupId("curate-" + run)
                .setSnapshotsDir(tmp)
                .setRefreshInterval(Duration.ofMillis(500))
                .build();
        SyntheticFeedback feedback = new SyntheticFeedback(SyntheticFeedbackConfig.builder(11)
                .setComparisons(1_500).setJudgements(6_000).setAnnotators(20)
                .setRedeliveryRate(0.02).setMalformedRate(0.01).build());
        assertThat(feedback.annotators()).as("the default mix has spammers and an adversary")
                .extracting(SimulatedAnnotator::behaviour)
                .contains(AnnotatorBehaviour.SPAMMER, AnnotatorBehaviour.ADVERSARIAL, AnnotatorBehaviour.ACCURATE);
        Topics.ensure(bootstrap, List.of(monitorConfig.feedbackTopic(), monitorConfig.checkpointsTopic()), 1,
                (short) 1);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        KafkaTestTopics.produce(bootstrap, monitorConfig.feedbackTopic(), feedback.stream().map(codec::encode)
                .toList());

        try (PipelineMonitor monitor = PipelineMonitor.start(monitorConfig);
                PrefpipeServer server = PrefpipeServer.start("127.0.0.1", 0, List.of(new DashboardRoutes(monitor)));
                Browser browser = Browser.start()) {
            browser.driver.get(server.uri() + DashboardRoutes.PAGE);
            Map<String, Object> before = browser.awaitState(s -> s.get("stages") != null, PAGE_TIMEOUT);
            assertThat(((Number) ((Map<?, ?>) before.get("stages")).get("pairs")).longValue()).as("nothing curated yet")
                    .isZero();

            CurationJobConfig job = CurationJobConfig.builder()
                    .setBootstrapServers(bootstrap)
                    .setFeedbackTopic(monitorConfig.feedbackTopic())
                    .setFeedbackJsonTopic(monitorConfig.feedbackJsonTopic())
                    .setDeadLetterTopic(monitorConfig.deadLetterTopic())
                    .setPairsTopic(monitorConfig.pairsTopic())
                    .setAnnotatorsTopic(monitorConfig.annotatorsTopic())
                    .setGroupId(monitorConfig.curationGroupId())
                    .setTransactionalIdPrefix("curate-" + run)
                    .setSnapshotDir(tmp.resolve("snapshot-" + run))
                    .setAggregator("ds")
                    .setEmitAfterVotes(4)
                    .setComparisonWindow(Duration.ofMinutes(10))
                    .setEstimatorRefitEveryVotes(1_500)
                    .setCheckpointInterval(Duration.ofSeconds(1))
                    .setProgressInterval(Duration.ofSeconds(1))
                    .build();
            CurationReport report;
            try (CurationRun curation = CurationJob.start(job, monitor.curationListener())) {
                report = curation.awaitReport();
            }
            TestPipelineData.publish(bootstrap, monitorConfig.checkpointsTopic(), List.of(
                    TestPipelineData.checkpoint("policy-1", null, report.manifest().snapshotId(), metrics(0.69, 0.52,
                            0.01, 0.0, 0.50)),
                    TestPipelineData.checkpoint("policy-2", "policy-1", report.manifest().snapshotId(), metrics(0.61,
                            0.63, 0.35, 0.8, 0.58)),
                    TestPipelineData.checkpoint("policy-3", "policy-2", report.manifest().snapshotId(), metrics(0.55,
                            0.71, 0.62, 1.4, 0.66))));
            long pairs = report.pairs();
            MonitorSnapshot seen = TestPipelineData.await(monitor, s -> s.stages().pairs() == pairs
                    && s.stages().checkpoints() == 3 && s.stages().consumerLag() != null
                    && s.stages().consumerLag() == 0 && !s.snapshots().isEmpty()
                    && s.latestLabelNoise() != null && s.latestLabelNoise().decidedPairs() > 0, PAGE_TIMEOUT);

            // the page catches up by itself, with what the monitor holds
            Map<String, Object> after = browser.awaitState(s -> {
                Map<?, ?> stages = (Map<?, ?>) s.get("stages");
                return ((Number) stages.get("pairs")).longValue() == pairs
                        && ((Number) stages.get("checkpoints")).longValue() == 3;
            }, PAGE_TIMEOUT);
            assertThat(((List<?>) after.get("annotators"))).hasSize(20);
            Map<String, Map<String, Object>> charts = browser.awaitCharts(PAGE_TIMEOUT);
            browser.screenshot(SCREENSHOT);

            assertThat(charts).containsOnlyKeys("throughput", "stages", "reasons", "noise", "drift", "labels",
                    "lengths", "training", "lineage");
            charts.forEach((name, chart) -> {
                assertThat(chart.get("canvas")).as(name + " draws on a canvas").isEqualTo(true);
                assertThat(((Number) chart.get("points")).intValue()).as(name + " has data").isPositive();
                assertThat(((Number) chart.get("drawn")).intValue()).as(name + " drew elements").isGreaterThan(5);
            });
            // Dawid-Skene without display order cannot tell a spammer from an annotator who picks by position, and
            // flags both; accurate annotators must carry no flag, the adversary must be flagged as one
            Map<String, List<String>> table = browser.annotatorTable();
            assertThat(table).hasSize(feedback.annotators().size());
            for (SimulatedAnnotator a : feedback.annotators()) {
                List<String> flags = table.get(a.id());
                switch (a.behaviour()) {
                    case SPAMMER -> assertThat(flags).as(a.id() + ", a spammer").contains("SPAMMER");
                    case ADVERSARIAL -> assertThat(flags).as(a.id() + ", an adversary").contains("ADVERSARIAL");
                    case ACCURATE -> assertThat(flags).as(a.id() + ", accurate").isEmpty();
                    default -> assertThat(flags).as(a.id()).doesNotContain("ADVERSARIAL");
                }
            }
            assertThat(browser.driver.findElement(By.id("tile-pairs")).getText())
                    .isEqualTo(String.format(Locale.ROOT, "%,d", pairs));
            assertThat(seen.curation().source()).isEqualTo("job");
            assertThat(seen.curation().filtered()).containsKey("duplicate");
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
        }
    }

    private static Map<String, Double> metrics(double loss, double accuracy, double margin, double kl,
            double winRate) {
        return Map.of("loss", loss, "rewards/accuracy", accuracy, "rewards/margin", margin, "kl", kl,
                "true_reward_win_rate", winRate);
    }

    /** Headless Chromium driven by Debian's chromedriver; nothing is downloaded. */
    private static final class Browser implements AutoCloseable {
        final ChromeDriver driver;

        private Browser(ChromeDriver driver) {
            this.driver = driver;
        }

        static Browser start() throws java.io.IOException {
            Files.createDirectories(SCREENSHOT.getParent());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(SCREENSHOT.resolveSibling("chromedriver.log").toFile())
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1400,2900");
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1400, 2900));
            return new Browser(driver);
        }

        /** Waits until the page has fetched a state that satisfies {@code condition}; returns that state. */
        @SuppressWarnings("unchecked")
        Map<String, Object> awaitState(java.util.function.Predicate<Map<String, Object>> condition,
                Duration timeout) {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(250)).until(d -> {
                Object state = ((JavascriptExecutor) d).executeScript(
                        "return window.prefpipeDashboard && window.prefpipeDashboard.state;");
                return state instanceof Map<?, ?> m && condition.test((Map<String, Object>) m)
                        ? (Map<String, Object>) m : null;
            });
        }

        /** Waits until every chart has data, or returns what they have when the time is up. */
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> awaitCharts(Duration timeout) {
            WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(250));
            try {
                return wait.until(d -> {
                    Map<String, Map<String, Object>> charts = (Map<String, Map<String, Object>>)
                            ((JavascriptExecutor) d).executeScript(CHART_DATA);
                    return charts.values().stream().allMatch(c -> ((Number) c.get("points")).intValue() > 0)
                            ? charts : null;
                });
            } catch (org.openqa.selenium.TimeoutException e) {
                return (Map<String, Map<String, Object>>) ((JavascriptExecutor) driver).executeScript(CHART_DATA);
            }
        }

        /** The annotator table as drawn, read in one go: the flags of each annotator's row. */
        @SuppressWarnings("unchecked")
        Map<String, List<String>> annotatorTable() {
            return (Map<String, List<String>>) ((JavascriptExecutor) driver).executeScript("""
                    const rows = {};
                    document.querySelectorAll('#annotators tr[data-annotator]').forEach(function (tr) {
                      rows[tr.dataset.annotator] = Array.from(tr.querySelectorAll('.flag')).map(f => f.textContent);
                    });
                    return rows;
                    """);
        }

        void screenshot(Path file) throws java.io.IOException {
            Files.createDirectories(file.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() {
            driver.quit();
        }
    }
}
