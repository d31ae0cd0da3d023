package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.testing.TestModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatesAndProbationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final AdminSettings.Gates NO_GATES = new AdminSettings.Gates(Optional.empty(), 0.02, 1, Duration.ZERO);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldRefuseACandidateLessAccurateOnTheGoldenSet(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 3; i++) {
      ImageIO.write(solid(Color.RED), "png", dir.resolve("cat." + i + ".png").toFile());
      ImageIO.write(solid(Color.BLUE), "png", dir.resolve("dog." + i + ".png").toFile());
    }
    RegistryFixture f = fixture(new AdminSettings.Gates(Optional.of(dir), 0.1, 1, Duration.ZERO), new AdminSettings.Probation(0, 0, Duration.ZERO));
    f.load(TestModels.colours("colours", "v1", true));
    assertThat(f.status().current().orElseThrow().goldenAccuracy()).contains(1.0);

    assertThat(f.loadError(TestModels.colours("colours", "v2", false)))
        .contains("golden-set accuracy 0.000 is below the serving model's 1.000 minus the tolerance 0.100 (6 images)");
    assertThat(f.servingVersion()).isEqualTo("v1");
    assertThat(f.load(TestModels.colours("colours", "v3", true)).current().version()).isEqualTo("v3");
    assertThat(f.metric("catdog_model_refusals")).isEqualTo(1.0);
  }

  @Test
  void shouldRefuseACandidateOverTheWarmUpLatencyBound() {
    RegistryFixture f = fixture(new AdminSettings.Gates(Optional.empty(), 0, 3, Duration.ofNanos(1)), new AdminSettings.Probation(0, 0, Duration.ZERO));
    assertThat(f.loadError(TestModels.tiny("tiny", "v1"))).contains("warm-up p99 latency").contains("over the bound");
    assertThat(f.slot.acquire()).isEmpty();
  }

  @Test
  void shouldRollBackAutomaticallyWhenTheNewModelFailsTooManyBatches() {
    RegistryFixture f = fixture(NO_GATES, new AdminSettings.Probation(4, 0.25, Duration.ZERO));
    f.load(TestModels.tiny("tiny", "v1"));
    f.load(TestModels.failsOnBrightInputs("tiny", "v2"));
    assertThat(f.status().current().orElseThrow().onProbation()).isTrue();

    float[] bright = new float[2 * 192];
    Arrays.fill(bright, 5f);
    for (int i = 0; i < 2; i++) {
      try (ModelLease lease = f.slot.acquire().orElseThrow()) {
        assertThat(lease.info().version()).isEqualTo("v2");
        assertThat(lease.run(bright, 2)).isInstanceOf(BatchResult.Failed.class);
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> f.servingVersion().equals("v1"));
    ModelRegistry.Status status = f.status();
    assertThat(status.notice().orElseThrow()).contains("automatic rollback from tiny@v2 to tiny@v1: 2 of its first 4 batches failed");
    assertThat(status.previous()).as("the failed model is not kept for rollback").isEmpty();
    assertThat(status.openSessions()).isEqualTo(1);
    assertThat(f.metric("catdog_model_rollbacks")).isEqualTo(1.0);
  }

  @Test
  void shouldRollBackAutomaticallyWhenTheNewModelIsTooSlow() {
    RegistryFixture f = fixture(NO_GATES, new AdminSettings.Probation(3, 0.5, Duration.ofNanos(1)));
    f.load(TestModels.tiny("tiny", "v1"));
    f.load(TestModels.tiny("tiny", "v2"));
    runBatches(f, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> f.servingVersion().equals("v1"));
    assertThat(f.status().notice().orElseThrow()).contains("0 failed of 3 batches").contains("over the bound");
  }

  @Test
  void shouldKeepAModelThatPassesItsProbation() {
    RegistryFixture f = fixture(NO_GATES, new AdminSettings.Probation(3, 0.0, Duration.ofSeconds(10)));
    f.load(TestModels.tiny("tiny", "v1"));
    f.load(TestModels.tiny("tiny", "v2"));
    runBatches(f, 5);
    await().atMost(Duration.ofSeconds(10)).until(() -> f.status().notice().filter(n -> n.contains("passed probation")).isPresent());
    assertThat(f.servingVersion()).isEqualTo("v2");
    assertThat(f.status().current().orElseThrow().onProbation()).isFalse();
    assertThat(f.metric("catdog_model_rollbacks")).isZero();
  }

  private static void runBatches(RegistryFixture f, int n) {
    for (int i = 0; i < n; i++) {
      try (ModelLease lease = f.slot.acquire().orElseThrow()) {
        assertThat(lease.run(new float[192], 1)).isInstanceOf(BatchResult.Scored.class);
      }
    }
  }

  private static RegistryFixture fixture(AdminSettings.Gates gates, AdminSettings.Probation probation) {
    return new RegistryFixture(testKit, AdminSettings.defaults().withGates(gates).withProbation(probation));
  }

  private static BufferedImage solid(Color colour) {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 16, 16);
    g.dispose();
    return image;
  }
}
