package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s/flinkdeployment.yaml}, which the README offers for the Flink Kubernetes operator, is checked here as
 * far as it can be without a cluster: against the operator's own CRD schema, with the strictness of {@code kubectl
 * apply --validate=strict} (a field the schema does not know is an error, not silently pruned); its job arguments
 * against the job jar's parser; its Flink configuration keys against Flink's options; and its versions against the
 * Flink this project builds with.
 *
 * <p>The CRD comes from the newest operator API jar on Maven Central, 1.10, whose {@code flinkVersion} enum ends at
 * {@code v1_20}. Flink 2.2 needs operator 1.13, whose CRD (read in the operator's repository between release-1.10.0
 * and release-1.13.0) adds {@code v2_0}-{@code v2_2} to that enum and otherwise only adds fields or loosens
 * {@code flinkConfiguration} to nested values: nothing this manifest uses became stricter. So the schema is given
 * the one constant of the Flink on our classpath, and {@link #manifest_namesTheFlinkWeBuildWith} checks that the
 * manifest names exactly that one.
 */
class FlinkDeploymentManifestTest {
    private static final Path MANIFEST = Path.of("..", "deploy", "k8s", "flinkdeployment.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Where Flink keeps the options a deployment sets; a key found in none of them is a typo or a removed option. */
    private static final List<Class<?>> FLINK_OPTIONS = List.of(CoreOptions.class, CheckpointingOptions.class,
            StateRecoveryOptions.class, StateBackendOptions.class, HighAvailabilityOptions.class,
            JobManagerOptions.class, TaskManagerOptions.class, RestartStrategyOptions.class);

    private static String manifestText;
    private static JsonNode manifest;
    private static Schema strictCrdSchema;

    @BeforeAll
    static void readManifestAndCrd() throws IOException {
        manifestText = Files.readString(MANIFEST);
        manifest = YAML.readTree(manifestText);
        strictCrdSchema = readStrictCrdSchema();
    }

    @Test
    void manifest_validatesAgainstTheOperatorsCrd() {
        assertThat(manifest.path("kind").asText()).isEqualTo("FlinkDeployment");

        assertThat(strictCrdSchema.validate(manifest)).extracting(FlinkDeploymentManifestTest::describe).isEmpty();
    }

    @Test
    void crdSchema_refusesUnknownFieldsWrongTypesAndUnknownEnumConstants() {
        ObjectNode broken = manifest.deepCopy();
        ObjectNode job = (ObjectNode) broken.path("spec").path("job");
        job.set("upgradMode", job.remove("upgradeMode"));
        job.put("parallelism", "four");
        ((ObjectNode) broken.path("spec")).put("flinkVersion", "v3_0");

        List<String> errors = strictCrdSchema.validate(broken).stream()
                .map(FlinkDeploymentManifestTest::describe).toList();

        assertThat(errors).hasSize(3)
                .anySatisfy(e -> assertThat(e).contains("/spec/job").contains("upgradMode"))
                .anySatisfy(e -> assertThat(e).contains("/spec/job/parallelism").contains("integer"))
                .anySatisfy(e -> assertThat(e).contains("/spec/flinkVersion"));
    }

    @Test
    void manifest_jobArgumentsAreAJobConfiguration() {
        List<String> args = new ArrayList<>();
        manifest.path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));

        CurationJobConfig config = CurationJobOptions.toConfig(
                JobArguments.parse(Instant.now(), args.toArray(String[]::new)).options());

        assertThat(config.bootstrapServers()).isEqualTo("kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092");
        assertThat(config.bounded()).isFalse();
        // an unbounded job keeps one folder across savepoint upgrades, so its name must not be the start time
        assertThat(config.snapshotLocation()).isEqualTo(URI.create("s3://prefpipe-bucket/prefpipe/snapshots/live"));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.transactionalIdPrefix()).isEqualTo("prefpipe-curate-live");
    }

    @Test
    void manifest_flinkConfigurationKeysAreFlinkOptionsWithValidValues() {
        Map<String, ConfigOption<?>> options = flinkOptionsByKey();
        Map<String, String> values = new HashMap<>();
        manifest.path("spec").path("flinkConfiguration").fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        Configuration configuration = Configuration.fromMap(values);

        assertThat(values).isNotEmpty();
        for (String key : values.keySet()) {
            ConfigOption<?> option = options.get(key);
            assertThat(option).as("flinkConfiguration key %s is an option of Flink %s", key, flinkVersion())
                    .isNotNull();
            // reading the option parses its value as the option's type
            assertThat(configuration.get(option)).as(key).isNotNull();
        }
    }

    @Test
    void manifest_namesTheFlinkWeBuildWith() {
        String version = flinkVersion();

        assertThat(manifest.path("spec").path("flinkVersion").asText()).isEqualTo(operatorConstant());
        assertThat(manifestText).contains("FROM flink:" + version + "-java17");
        assertThat(manifest.path("spec").path("podTemplate").findValuesAsText("value"))
                .contains("flink-s3-fs-hadoop-" + version + ".jar");
    }

    /** The operator's name for the Flink we build with, e.g. {@code v2_2} for 2.2.0. */
    private static String operatorConstant() {
        Matcher release = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+").matcher(flinkVersion());
        assertThat(release.matches()).as("Flink version %s", flinkVersion()).isTrue();
        return "v" + release.group(1) + "_" + release.group(2);
    }

    private static String flinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    /**
     * The CRD's schema for the manifest's {@code apiVersion}, closed as the API server's strict field validation
     * closes it, and knowing the Flink version we build with (see the class comment).
     */
    private static Schema readStrictCrdSchema() throws IOException {
        String version = manifest.path("apiVersion").asText().replace("flink.apache.org/", "");
        JsonNode crd;
        // the file's suffix is the CRD format's version (apiextensions.k8s.io/v1); it lists every API version
        try (InputStream in = Objects.requireNonNull(FlinkDeploymentManifestTest.class.getResourceAsStream(
                "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml"), "the operator API jar's CRD")) {
            crd = YAML.readTree(in);
        }
        JsonNode schema = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                schema = v.path("schema").path("openAPIV3Schema").deepCopy();
            }
        }
        assertThat(schema).as("openAPIV3Schema of %s", version).isNotNull();
        // Kubernetes defines these for every resource; a CRD's schema lists only spec and status
        ObjectNode root = (ObjectNode) schema.path("properties");
        root.putObject("apiVersion").put("type", "string");
        root.putObject("kind").put("type", "string");
        root.putObject("metadata").put("type", "object");
        closeObjects(schema);
        ArrayNode flinkVersions = (ArrayNode) schema.path("properties").path("spec").path("properties")
                .path("flinkVersion").path("enum");
        assertThat(flinkVersions).isNotEmpty();
        flinkVersions.add(operatorConstant());
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
    }

    /**
     * Makes every object schema with listed properties refuse others, unless it says it keeps unknown fields: what
     * Kubernetes' structural schemas mean (unknown fields are pruned, or refused under strict validation), where a
     * plain JSON Schema would let a misspelt field through.
     */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.forEach(FlinkDeploymentManifestTest::closeObjects);
        } else if (node instanceof ArrayNode array) {
            array.forEach(FlinkDeploymentManifestTest::closeObjects);
        }
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + ": " + error.getMessage();
    }

    private static Map<String, ConfigOption<?>> flinkOptionsByKey() {
        Map<String, ConfigOption<?>> byKey = new HashMap<>();
        for (Class<?> holder : FLINK_OPTIONS) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        byKey.put(option.key(), option);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return byKey;
    }
}
