package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.streaming.CatdogService;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services started from the same model file follow what is published on their models topic. */
class FleetRolloutTest {
  private final EmbeddedKafka broker = SharedBroker.get();
  @TempDir Path dir;

  @Test
  void shouldMoveRunningInstancesToAPublishedModelAndStartANewOneOnIt() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "v1.onnx", TestModels.tiny("catdog", "v1")));
    String models = SharedBroker.unique("models");
    Map<String, Object> config = fx.config(Map.of("catdog.topics.models", models));
    List<CatdogService> fleet = new ArrayList<>();
    try {
      fleet.add(CatdogService.start(fx.typesafe(withInstance(config, "one"))));
      fleet.add(CatdogService.start(fx.typesafe(withInstance(config, "two"))));
      assertThat(fleet).allSatisfy(s -> assertThat(s.modelId()).isEqualTo("catdog@v1"));

      ModelPublisher.publish(clientProperties(), models, ModelUpdates.carrying(TestModels.tiny("catdog", "v2"), System.currentTimeMillis()));
      for (CatdogService s : fleet) {
        await().atMost(Duration.ofSeconds(60)).until(() -> s.modelId().equals("catdog@v2"));
      }

      CatdogService third = CatdogService.start(fx.typesafe(withInstance(config, "three")));
      fleet.add(third);
      await().atMost(Duration.ofSeconds(60)).until(() -> third.modelId().equals("catdog@v2"));
    } finally {
      for (CatdogService s : fleet) {
        s.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, Object> withInstance(Map<String, Object> config, String name) {
    Map<String, Object> c = new HashMap<>(config);
    c.put("catdog.instance-id", c.get("catdog.instance-id") + "-" + name);
    return c;
  }

  private Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>();
    broker.clientProperties().forEach((k, v) -> props.put((String) k, v));
    return props;
  }
}
