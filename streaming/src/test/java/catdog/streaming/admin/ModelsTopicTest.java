package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import catdog.broker.SharedBroker;
import catdog.protocol.ModelUpdate;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTopicTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final List<ModelsTopicFollower> followers = new ArrayList<>();
  private final String topic = SharedBroker.unique("models");

  @AfterEach
  void stopFollowers() {
    followers.forEach(ModelsTopicFollower::close);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldStartOnTheLatestPublishedModelOnly() throws Exception {
    publish(ModelUpdates.carrying(TestModels.tiny("tiny", "v1"), 1));
    publish(ModelUpdates.carrying(TestModels.tiny("tiny", "v2"), 2));

    RegistryFixture fresh = instance();

    assertThat(fresh.servingVersion()).isEqualTo("v2");
    assertThat(fresh.status().previous()).as("v1 was never loaded").isEmpty();
  }

  @Test
  void shouldMoveAFleetToAModelPublishedWhileRunningAndStartANewInstanceOnIt() throws Exception {
    List<RegistryFixture> fleet = List.of(instance(), instance());
    for (RegistryFixture f : fleet) {
      f.load(TestModels.tiny("tiny", "v1"));
    }
    publish(ModelUpdates.carrying(TestModels.tiny("tiny", "v2"), 2));
    for (RegistryFixture f : fleet) {
      await().atMost(WAIT).until(() -> f.servingVersion().equals("v2"));
      assertThat(f.status().previous().orElseThrow().info().version()).isEqualTo("v1");
    }
    RegistryFixture third = instance();
    assertThat(third.servingVersion()).isEqualTo("v2");
  }

  @Test
  void shouldRefuseAnUpdateWhoseHashDoesNotMatchAndApplyTheNextOne(@TempDir Path dir) throws Exception {
    RegistryFixture f = instance();
    f.load(TestModels.tiny("tiny", "v1"));
    ModelUpdate good = ModelUpdates.carrying(TestModels.tiny("tiny", "v2"), 2);
    publish(good.toBuilder().setSha256(ModelUpdates.sha256(new byte[] {1})).build());
    publish(ModelUpdates.pointingAt(TestModels.write(dir, "v3.onnx", TestModels.tiny("tiny", "v3")), 3));

    await().atMost(WAIT).until(() -> f.servingVersion().equals("v3"));
    assertThat(f.status().previous().orElseThrow().info().version()).as("v2 was refused").isEqualTo("v1");
  }

  @Test
  void shouldIgnoreUpdatesOfAnotherModelName() throws Exception {
    RegistryFixture f = instance();
    f.load(TestModels.tiny("tiny", "v1"));
    publish(ModelUpdates.carrying(TestModels.tiny("other", "x1"), 1));
    publish(ModelUpdates.carrying(TestModels.tiny("tiny", "v2"), 2));
    await().atMost(WAIT).until(() -> f.servingVersion().equals("v2"));
    assertThat(f.status().previous().orElseThrow().info().id()).isEqualTo("tiny@v1");
  }

  /** A registry with its own follower, caught up with the topic. */
  private RegistryFixture instance() {
    RegistryFixture f = new RegistryFixture(testKit, AdminSettings.defaults());
    ModelsTopicFollower follower = ModelsTopicFollower.start(clientProperties(), topic, f.registry, testKit.system());
    followers.add(follower);
    follower.caughtUp().toCompletableFuture().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    return f;
  }

  private void publish(ModelUpdate update) throws Exception {
    ModelPublisher.publish(clientProperties(), topic, update);
  }

  private static Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>();
    SharedBroker.get().clientProperties().forEach((k, v) -> props.put((String) k, v));
    return props;
  }
}
