package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import catdog.streaming.http.HttpServer;
import catdog.streaming.http.ServiceRoutes;
import catdog.streaming.support.ServiceFixture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and the Dockerfile in deploy/k8s agree with the service: every environment
 * variable they set is one reference.conf reads and changes the setting it should, the container port is
 * the HTTP port, and the probe paths answer on the service's real routes.
 */
class DeployManifestsTest {
  private static final Path K8S = Path.of("..", "deploy", "k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static JsonNode yaml(String file) throws IOException {
    return YAML.readTree(K8S.resolve(file).toFile());
  }

  private static JsonNode container() throws IOException {
    return yaml("deployment.yaml").at("/spec/template/spec/containers/0");
  }

  /** The environment the pod gets: ConfigMap, Secret and the deployment's own env entries. */
  private static Map<String, String> podEnvironment() throws IOException {
    Map<String, String> env = new HashMap<>();
    yaml("configmap.yaml").get("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    yaml("secret.yaml").get("stringData").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    container().get("env").forEach(e -> env.put(e.get("name").asText(), "pod-name-0"));
    return env;
  }

  /** reference.conf resolved as the service would resolve it with exactly {@code env} as the environment. */
  private static Settings settingsWith(Map<String, String> env) {
    Config resolved = ConfigFactory.parseMap(env).withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    return Settings.fromConfig(resolved);
  }

  @Test
  void shouldSetOnlyEnvironmentVariablesTheServiceReads() throws IOException {
    String reference = new String(getClass().getResourceAsStream("/reference.conf").readAllBytes(), StandardCharsets.UTF_8);
    Set<String> read = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{\\?(CATDOG_[A-Z0-9_]+)}").matcher(reference);
    while (m.find()) {
      read.add(m.group(1));
    }
    assertThat(read).containsAll(podEnvironment().keySet());
    // The image's own defaults too.
    String dockerfile = Files.readString(K8S.resolve("Dockerfile"));
    Matcher env = Pattern.compile("(CATDOG_[A-Z0-9_]+)=").matcher(dockerfile);
    while (env.find()) {
      assertThat(read).contains(env.group(1));
    }
  }

  @Test
  void shouldConfigureTheServiceAsTheManifestsSay() throws IOException {
    Map<String, String> env = podEnvironment();
    Settings s = settingsWith(env);
    assertThat(s.kafka().bootstrapServers()).isEqualTo(env.get("CATDOG_BOOTSTRAP_SERVERS"));
    assertThat(s.kafka().groupId()).isEqualTo(env.get("CATDOG_GROUP_ID"));
    assertThat(s.topics().images()).isEqualTo(env.get("CATDOG_TOPIC_IMAGES"));
    assertThat(s.topics().predictions()).isEqualTo(env.get("CATDOG_TOPIC_PREDICTIONS"));
    assertThat(s.topics().deadLetters()).isEqualTo(env.get("CATDOG_TOPIC_DEAD_LETTERS"));
    assertThat(s.modelPath().toString()).isEqualTo(env.get("CATDOG_MODEL_PATH"));
    assertThat(s.http().host()).isEqualTo("0.0.0.0");
    assertThat(s.instanceId()).isEqualTo("pod-name-0");
    assertThat(s.kafka().consumerProperties()).containsEntry("security.protocol", env.get("CATDOG_SECURITY_PROTOCOL"))
        .containsEntry("sasl.jaas.config", env.get("CATDOG_SASL_JAAS_CONFIG"));
    assertThat(s.kafka().producerProperties()).containsEntry("sasl.mechanism", env.get("CATDOG_SASL_MECHANISM"));
    assertThat(s.describe()).doesNotContain("change-me");

    int containerPort = container().at("/ports/0/containerPort").asInt();
    assertThat(s.http().port()).isEqualTo(containerPort);
    assertThat(Files.readString(K8S.resolve("Dockerfile"))).contains("EXPOSE " + containerPort).contains("catdog.streaming.Main");
    assertThat(yaml("deployment.yaml").at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
        .as("grace period longer than the drain").isGreaterThan(s.drainTimeout().toSeconds());
  }

  @Test
  void shouldProbePathsTheServiceAnswers() throws Exception {
    JsonNode c = container();
    String portName = c.at("/ports/0/name").asText();
    assertThat(c.at("/livenessProbe/httpGet/port").asText()).isEqualTo(portName);
    assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo(portName);
    String live = c.at("/livenessProbe/httpGet/path").asText();
    String ready = c.at("/readinessProbe/httpGet/path").asText();
    assertThat(live).isNotEmpty();
    assertThat(ready).isNotEmpty().isNotEqualTo(live);

    ServerBinding binding = HttpServer.bind(testKit.system(), "127.0.0.1", 0,
        ServiceRoutes.create(List::of, new PrometheusRegistry(), Executors.newSingleThreadExecutor())).toCompletableFuture().get();
    try {
      ServiceFixture http = new ServiceFixture(null, "", "", "", "", Path.of(""));
      int port = binding.localAddress().getPort();
      assertThat(http.get(port, live).statusCode()).isEqualTo(200);
      assertThat(http.get(port, ready).statusCode()).isEqualTo(200);
      assertThat(http.get(port, "/metrics").statusCode()).isEqualTo(200);
      assertThat(http.get(port, "/no/such/path").statusCode()).isEqualTo(404);
    } finally {
      binding.unbind().toCompletableFuture().get();
    }
  }
}
