package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import catdog.streaming.testing.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminRoutesTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String TOKEN = "s3cret-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ServerBinding binding;
  private RegistryFixture f;

  @AfterEach
  void unbind() {
    binding.unbind().toCompletableFuture().join();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldRefuseWithoutTheTokenOrWithAWrongOne() throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN));
    HttpResponse<String> none = client.send(HttpRequest.newBuilder(uri("/admin/models")).GET().build(), BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri("/admin/models")).header("Authorization", "Bearer nope")
        .POST(BodyPublishers.ofByteArray(TestModels.tiny("tiny", "v1"))).build(), BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain(TOKEN);
    assertThat(f.slot.acquire()).as("nothing was loaded").isEmpty();
  }

  @Test
  void shouldRefuseEverythingWhenNoTokenIsConfigured() throws Exception {
    start(AdminSettings.defaults());
    HttpResponse<String> r = send("GET", "/admin/models", null, "application/json");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("catdog.admin.token");
  }

  @Test
  void shouldSwapToAnUploadedModelAndReportItsVersionAndMetadata() throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN));
    HttpResponse<String> swapped = send("POST", "/admin/models", TestModels.tiny("tiny", "v1"), "application/octet-stream");
    assertThat(swapped.statusCode()).isEqualTo(200);
    assertThat(json(swapped).at("/current/id").asText()).isEqualTo("tiny@v1");

    JsonNode status = json(send("GET", "/admin/models", null, "application/json"));
    assertThat(status.at("/current/version").asText()).isEqualTo("v1");
    assertThat(status.at("/current/metadata/catdog.input.height").asText()).isEqualTo("8");
    assertThat(status.at("/current/provider").asText()).isEqualTo("CPU");
    assertThat(status.at("/previous").isNull()).isTrue();
    assertThat(status.at("/openSessions").asInt()).isEqualTo(1);
  }

  @Test
  void shouldLoadAModelNamedByPathOrFileUri(@TempDir Path dir) throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN));
    Path v1 = TestModels.write(dir, "v1.onnx", TestModels.tiny("tiny", "v1"));
    Path v2 = TestModels.write(dir, "v2.onnx", TestModels.tiny("tiny", "v2"));
    assertThat(send("POST", "/admin/models", ("{\"path\": \"" + v1 + "\"}").getBytes(), "application/json").statusCode()).isEqualTo(200);
    HttpResponse<String> byUri = send("POST", "/admin/models", ("{\"uri\": \"" + v2.toUri() + "\"}").getBytes(), "application/json");
    assertThat(json(byUri).at("/previous/version").asText()).isEqualTo("v1");
    assertThat(f.servingVersion()).isEqualTo("v2");
    HttpResponse<String> http = send("POST", "/admin/models", "{\"uri\": \"http://example.com/m.onnx\"}".getBytes(), "application/json");
    assertThat(http.statusCode()).isEqualTo(400);
    assertThat(json(http).get("error").asText()).contains("only file: URIs");
  }

  @Test
  void shouldAnswer422ForABadModelAndKeepServing() throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN));
    send("POST", "/admin/models", TestModels.tiny("tiny", "v1"), "application/octet-stream");
    HttpResponse<String> bad = send("POST", "/admin/models", TestModels.wrongLabelCount("v2"), "application/octet-stream");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(json(bad).get("error").asText()).contains("3 labels");
    assertThat(f.servingVersion()).isEqualTo("v1");
  }

  @Test
  void shouldRefuseAnOversizedUpload() throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN).withMaxUploadBytes(1000));
    HttpResponse<String> big = send("POST", "/admin/models", TestModels.seedShaped("catdog", "v1", 1), "application/octet-stream");
    assertThat(big.statusCode()).isEqualTo(413);
    byte[] model = TestModels.seedShaped("catdog", "v1", 1);
    HttpRequest chunked = HttpRequest.newBuilder(uri("/admin/models")).header("Authorization", "Bearer " + TOKEN)
        .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(model))).build();
    assertThat(client.send(chunked, BodyHandlers.ofString()).statusCode()).as("a body without a length").isEqualTo(413);
    assertThat(f.slot.acquire()).isEmpty();
  }

  @Test
  void shouldRollBackAndRunACanaryToPromotionAndAShadowToAbort() throws Exception {
    start(AdminSettings.defaults().withToken(TOKEN));
    assertThat(send("POST", "/admin/models/rollback", null, "application/json").statusCode()).isEqualTo(409);
    send("POST", "/admin/models", TestModels.tiny("tiny", "v1"), "application/octet-stream");
    send("POST", "/admin/models", TestModels.tiny("tiny", "v2"), "application/octet-stream");
    HttpResponse<String> back = send("POST", "/admin/models/rollback", null, "application/json");
    assertThat(json(back).at("/current/version").asText()).isEqualTo("v1");

    assertThat(send("POST", "/admin/models/canary?percent=150", TestModels.tiny("tiny", "v3"), "application/octet-stream").statusCode())
        .isEqualTo(400);
    HttpResponse<String> canary = send("POST", "/admin/models/canary?percent=20", TestModels.tiny("tiny", "v3"), "application/octet-stream");
    assertThat(json(canary).at("/candidate/mode").asText()).isEqualTo("canary");
    assertThat(json(canary).at("/candidate/percent").asDouble()).isEqualTo(20.0);
    assertThat(json(send("POST", "/admin/models/promote", null, "application/json")).at("/current/version").asText()).isEqualTo("v3");

    HttpResponse<String> shadow = send("POST", "/admin/models/shadow", TestModels.tiny("tiny", "v4"), "application/octet-stream");
    assertThat(json(shadow).at("/candidate/mode").asText()).isEqualTo("shadow");
    HttpResponse<String> aborted = send("POST", "/admin/models/abort", null, "application/json");
    assertThat(json(aborted).at("/candidate").isNull()).isTrue();
    assertThat(send("POST", "/admin/models/abort", null, "application/json").statusCode()).isEqualTo(409);
    assertThat(f.servingVersion()).isEqualTo("v3");
  }

  private void start(AdminSettings settings) {
    f = new RegistryFixture(testKit, settings);
    binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(AdminRoutes.create(f.registry, testKit.system(), settings)).toCompletableFuture().join();
  }

  private HttpResponse<String> send(String method, String path, byte[] body, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).header("Content-Type", contentType)
        .timeout(Duration.ofSeconds(60));
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }
}
