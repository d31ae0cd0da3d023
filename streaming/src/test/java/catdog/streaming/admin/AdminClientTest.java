package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import catdog.streaming.testing.TestModels;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminClientTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldDriveEveryAdminOperation(@TempDir Path dir) throws Exception {
    AdminSettings settings = AdminSettings.defaults().withToken("tok");
    RegistryFixture f = new RegistryFixture(testKit, settings);
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(AdminRoutes.create(f.registry, testKit.system(), settings)).toCompletableFuture().join();
    try {
      URI root = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
      AdminClient client = new AdminClient(root, "tok");
      assertThat(new AdminClient(root, "wrong").status().status()).isEqualTo(401);

      assertThat(client.swap(TestModels.write(dir, "v1.onnx", TestModels.tiny("catdog", "v1"))).body()).contains("catdog@v1");
      assertThat(client.swapToServerFile(TestModels.write(dir, "v2.onnx", TestModels.tiny("catdog", "v2")).toString()).ok()).isTrue();
      assertThat(client.rollback().body()).contains("\"version\" : \"v1\"");
      assertThat(client.canary(TestModels.write(dir, "v3.onnx", TestModels.tiny("catdog", "v3")), 12.5).body()).contains("\"percent\" : 12.5");
      assertThat(client.promote().ok()).isTrue();
      assertThat(f.servingVersion()).isEqualTo("v3");
      assertThat(client.shadow(TestModels.write(dir, "v4.onnx", TestModels.tiny("catdog", "v4"))).body()).contains("\"mode\" : \"shadow\"");
      assertThat(client.abort().ok()).isTrue();
      AdminClient.Response bad = client.swap(TestModels.write(dir, "bad.onnx", TestModels.corrupt()));
      assertThat(bad.status()).isEqualTo(422);
      assertThat(client.status().body()).contains("\"notice\" : \"refused an upload");
    } finally {
      binding.unbind().toCompletableFuture().join();
    }
  }
}
