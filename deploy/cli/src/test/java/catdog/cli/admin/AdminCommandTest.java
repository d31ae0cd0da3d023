package catdog.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.SharedBroker;
import catdog.cli.Run;
import catdog.streaming.CatdogService;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `catdog admin` against a running service on the real broker: each call changes what the service serves. */
class AdminCommandTest {
  private static final String TOKEN = "t0ken";
  @TempDir Path dir;
  private CatdogService service;
  private String url;
  private String modelsTopic;
  private String bootstrap;

  @BeforeEach
  void startService() {
    ServiceFixture fx = ServiceFixture.create(SharedBroker.get(), TestModels.write(dir, "v1.onnx", TestModels.tiny("catdog", "v1")));
    modelsTopic = SharedBroker.unique("models");
    bootstrap = SharedBroker.get().bootstrapServers();
    service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.admin.token", TOKEN, "catdog.topics.models", modelsTopic))));
    url = "http://127.0.0.1:" + service.httpPort();
  }

  @AfterEach
  void stopService() throws Exception {
    service.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private Run admin(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "admin";
    full[1] = args[0];
    full[2] = "--url";
    full[3] = url;
    full[4] = "--token=" + TOKEN;
    System.arraycopy(args, 1, full, 5, args.length - 1);
    return Run.of(full);
  }

  @Test
  void shouldShowStatusOnlyWithTheRightToken() {
    Run status = admin("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("v1");
    Run wrong = Run.of("admin", "status", "--url", url, "--token", "nope");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.err()).contains("401");
    assertThat(wrong.out() + wrong.err()).doesNotContain("nope");
  }

  @Test
  void shouldSwapRollBackAndRefuseABadModel() {
    Path v2 = TestModels.write(dir, "v2.onnx", TestModels.tiny("catdog", "v2"));
    Run swap = admin("swap", v2.toString());
    assertThat(swap.exitCode()).as(swap.out() + swap.err()).isZero();
    assertThat(service.modelId()).isEqualTo("catdog@v2");

    Run rollback = admin("rollback");
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(service.modelId()).isEqualTo("catdog@v1");

    Path corrupt = TestModels.write(dir, "bad.onnx", TestModels.corrupt());
    Run refused = admin("swap", corrupt.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 422");
    assertThat(service.modelId()).isEqualTo("catdog@v1");
  }

  @Test
  void shouldRunACanaryUntilPromoted() {
    Path v3 = TestModels.write(dir, "v3.onnx", TestModels.tiny("catdog", "v3"));
    Run canary = admin("canary", v3.toString(), "--percent", "25");
    assertThat(canary.exitCode()).as(canary.out() + canary.err()).isZero();
    assertThat(admin("status").out()).contains("v3");
    assertThat(service.modelId()).isEqualTo("catdog@v1");
    Run promote = admin("promote");
    assertThat(promote.exitCode()).as(promote.out() + promote.err()).isZero();
    assertThat(service.modelId()).isEqualTo("catdog@v3");
  }

  @Test
  void shouldPublishToTheModelsTopicAndTheServiceFollows() {
    Path v4 = TestModels.write(dir, "v4.onnx", TestModels.tiny("catdog", "v4"));
    Run publish = Run.of("admin", "publish", v4.toString(), "-b", bootstrap, "--topic", modelsTopic);
    assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
    assertThat(publish.out()).contains("publish: catdog@v4");
    await().atMost(Duration.ofSeconds(60)).until(() -> service.modelId().equals("catdog@v4"));
  }

  @Test
  void shouldSayWhatIsMissingWithoutAToken() {
    Run run = Run.of("admin", "status", "--url", url, "--token", "");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no admin token");
  }
}
