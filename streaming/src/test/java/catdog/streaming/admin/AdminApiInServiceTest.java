package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.broker.SharedBroker;
import catdog.streaming.CatdogService;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.testing.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API as the running service serves it: on the service's HTTP port, behind the token. */
class AdminApiInServiceTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir Path dir;

  @Test
  void shouldSwapThroughTheServicesHttpPortAndCountIt() throws Exception {
    ServiceFixture fx = ServiceFixture.create(SharedBroker.get(), TestModels.write(dir, "v1.onnx", TestModels.tiny("catdog", "v1")));
    CatdogService service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.admin.token", "t0ken",
        "catdog.admin.follow-models-topic", false))));
    try {
      String base = "http://127.0.0.1:" + service.httpPort();
      assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/admin/models")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(401);
      HttpResponse<String> swap = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/models"))
          .header("Authorization", "Bearer t0ken").header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(TestModels.tiny("catdog", "v2"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(swap.statusCode()).as(swap.body()).isEqualTo(200);
      assertThat(service.modelId()).isEqualTo("catdog@v2");
      String metrics = fx.get(service.httpPort(), "/metrics").body();
      assertThat(metrics).contains("catdog_model_swaps_total 2.0", "catdog_model_sessions_open 2.0",
          "catdog_model_loaded{name=\"catdog\",version=\"v2\"} 1.0");
    } finally {
      service.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
