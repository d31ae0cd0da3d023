package catdog.streaming.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Directives;
import catdog.streaming.support.ServiceFixture;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final ServiceFixture http = new ServiceFixture(null, "", "", "", "", Path.of(""));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    pool.shutdownNow();
  }

  @Test
  void shouldReportReadinessWithItsReasonsLivenessAlwaysAndMetricsAsPrometheusText() throws Exception {
    AtomicReference<List<String>> missing = new AtomicReference<>(List.of("no model loaded", "no input partitions assigned"));
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("catdog_test_things").help("things").register(registry).inc(3);
    ServerBinding binding = HttpServer.bind(testKit.system(), "127.0.0.1", 0,
        ServiceRoutes.with(ServiceRoutes.create(missing::get, registry, pool),
            List.of(Directives.path("extra", () -> Directives.complete("from another capability"))))).toCompletableFuture().get();
    try {
      int port = binding.localAddress().getPort();
      assertThat(http.get(port, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = http.get(port, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("no model loaded").contains("no input partitions assigned");
      missing.set(List.of());
      assertThat(http.get(port, "/health/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = http.get(port, "/metrics");
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(metrics.body()).contains("# TYPE catdog_test_things_total counter").contains("catdog_test_things_total 3.0");
      assertThat(http.get(port, "/extra").body()).isEqualTo("from another capability");
    } finally {
      binding.unbind().toCompletableFuture().get();
    }
  }
}
