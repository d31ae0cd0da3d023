package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import catdog.broker.BrokerSettings;
import catdog.broker.EmbeddedKafka;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker whose only listener wants SASL/PLAIN: the service gets in with the right password only. */
class SecurityTest {
  private static EmbeddedKafka broker;
  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafka.start(BrokerSettings.ephemeral(1).withSaslUsers(Map.of("catdog", "right-password")));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Map<String, Object> sasl(ServiceFixture fx, String password) {
    Map<String, Object> c = new HashMap<>(fx.config(Map.of()));
    c.put("catdog.kafka.security-protocol", "SASL_PLAINTEXT");
    c.put("catdog.kafka.sasl-mechanism", "PLAIN");
    c.put("catdog.kafka.sasl-jaas-config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"catdog\" password=\"" + password + "\";");
    return c;
  }

  @Test
  void shouldServeWithTheRightCredentials() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "t1")));
    KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
    kafka.produce(List.of(fx.image("cat.1004.jpg", TestImages.jpeg("cat.1004.jpg"))));
    CatdogService service = CatdogService.start(fx.typesafe(sasl(fx, "right-password")));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).size() == 1);
    } finally {
      service.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertThat(kafka.uncommitted(fx.group(), fx.images())).isEmpty();
    assertThat(service.settings().describe()).doesNotContain("right-password");
  }

  @Test
  void shouldFailFastWithAClearErrorOnWrongCredentials() {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "t1")));
    assertThatThrownBy(() -> CatdogService.start(fx.typesafe(sasl(fx, "wrong-password"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused our credentials")
        .hasMessageContaining(broker.bootstrapServers())
        .hasMessageNotContaining("wrong-password");
  }
}
