package io.prefpipe.app.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.prefpipe.app.http.ServeRoutes;
import io.prefpipe.app.monitor.PipelineMetrics;
import io.prefpipe.app.monitor.PipelineMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The data-quality dashboard as routes on a Javalin server that someone else configures (e.g. {@code prefpipe serve}):
 * <ul>
 *   <li>{@value #PAGE}: the page, which polls the state every {@value #POLL_MILLIS} ms and draws it with ECharts;
 *   <li>{@value #STATE}: the monitor's {@code MonitorSnapshot} as JSON;
 *   <li>{@value #ASSETS}{@code /...}: the page's script and style, and ECharts from its WebJar (no CDN);
 *   <li>{@value #METRICS}: the same figures as Prometheus metrics.
 * </ul>
 *
 * <pre>{@code
 * PrefpipeServer server = PrefpipeServer.start("127.0.0.1", 0, List.of(new DashboardRoutes(monitor)));
 * }</pre>
 */
public final class DashboardRoutes implements ServeRoutes {
    public static final String PAGE = "/dashboard";
    public static final String STATE = "/dashboard/api/state";
    public static final String ASSETS = "/dashboard/assets";
    public static final String METRICS = "/metrics";
    /** How often the page asks for the state. */
    public static final int POLL_MILLIS = 2000;

    private static final String RESOURCES = "/io/prefpipe/app/dashboard/";
    /** The page's own files, by name under {@value #ASSETS}, with their content types. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");
    private static final String ECHARTS = "echarts.min.js";

    private final PipelineMonitor monitor;
    private final PipelineMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] page;
    private final Map<String, byte[]> assets;

    public DashboardRoutes(PipelineMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.metrics = new PipelineMetrics(monitor);
        this.page = resource(RESOURCES + "index.html");
        this.assets = Map.of(
                "dashboard.js", resource(RESOURCES + "dashboard.js"),
                "dashboard.css", resource(RESOURCES + "dashboard.css"),
                ECHARTS, resource(echartsPath()));
    }

    /** Adds the dashboard's routes; {@code /} leads to the page. */
    @Override
    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect(PAGE, HttpStatus.FOUND));
        routes.get(PAGE, ctx -> ctx.contentType("text/html; charset=utf-8").result(page));
        routes.get(STATE, this::state);
        routes.get(ASSETS + "/{name}", this::asset);
        routes.get(METRICS, ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
    }

    private void state(Context ctx) throws JsonProcessingException {
        ctx.header("Cache-Control", "no-store")
                .contentType("application/json")
                .result(json.writeValueAsBytes(monitor.snapshot()));
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] body = assets.get(name);
        if (body == null) {
            ctx.status(HttpStatus.NOT_FOUND).result("no such asset: " + name);
            return;
        }
        ctx.contentType(CONTENT_TYPES.getOrDefault(name, "text/javascript; charset=utf-8")).result(body);
    }

    /** ECharts' file in its WebJar, whose folder is named by its version. */
    private static String echartsPath() {
        Properties pom = new Properties();
        try (InputStream in = open("/META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ECharts WebJar's version", e);
        }
        return "/META-INF/resources/webjars/echarts/" + pom.getProperty("version") + "/dist/" + ECHARTS;
    }

    private static byte[] resource(String path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static InputStream open(String path) {
        InputStream in = DashboardRoutes.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the class path");
        }
        return in;
    }
}
