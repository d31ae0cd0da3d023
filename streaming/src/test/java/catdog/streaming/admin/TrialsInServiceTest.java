package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.Prediction;
import catdog.streaming.CatdogService;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canary and shadow trials in the running service: what reaches the predictions and shadow topics. */
class TrialsInServiceTest {
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  @Test
  void shouldScoreTheCanaryShareByKeyAndSendShadowPredictionsToTheShadowTopicOnly() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "v1.onnx", TestModels.tiny("catdog", "v1")));
    String shadowTopic = SharedBroker.unique("predictions-shadow");
    broker.createTopics(shadowTopic);
    CatdogService service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.admin.follow-models-topic", false,
        "catdog.topics.shadow-predictions", shadowTopic))));
    try (PredictionCollector main = new PredictionCollector(broker.clientProperties(), fx.predictions());
        PredictionCollector shadow = new PredictionCollector(broker.clientProperties(), shadowTopic)) {
      start(service, TestModels.tiny("catdog", "v2"), TrialMode.CANARY, 50);
      produce(fx, "canary-", 40);
      await().atMost(Duration.ofSeconds(60)).until(() -> main.count(p -> p.getId().startsWith("canary-")) >= 40);
      for (Prediction p : main.predictions) {
        boolean routed = ServingSlot.routesToCanary(p.getId(), 5000);
        assertThat(p.getCanary()).as("canary flag of %s", p.getId()).isEqualTo(routed);
        assertThat(p.getModelVersion()).as("version of %s", p.getId()).isEqualTo(routed ? "v2" : "v1");
      }
      assertThat(main.count(Prediction::getCanary)).isBetween(5L, 35L);

      ModelRegistry.ModelSwapped promoted = TrialsInServiceTest.<ModelRegistry.ModelSwapped>ask(service, ModelRegistry.Promote::new);
      assertThat(promoted.current().version()).isEqualTo("v2");
      start(service, TestModels.tiny("catdog", "v3"), TrialMode.SHADOW, 0);
      produce(fx, "shadow-", 20);
      await().atMost(Duration.ofSeconds(60)).until(() -> main.count(p -> p.getId().startsWith("shadow-")) >= 20
          && shadow.count(p -> p.getId().startsWith("shadow-")) >= 20);
      assertThat(main.predictions).filteredOn(p -> p.getId().startsWith("shadow-"))
          .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo("v2")).noneMatch(Prediction::getCanary);
      assertThat(shadow.predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo("v3"));
      ModelRegistry.Status status = AskPattern.<ModelRegistry.Command, ModelRegistry.Status>ask(service.registry(),
          ModelRegistry.GetStatus::new, Duration.ofSeconds(10), service.system().scheduler()).toCompletableFuture().get();
      assertThat(status.trial().orElseThrow().compared()).isGreaterThanOrEqualTo(20);
    } finally {
      service.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static void start(CatdogService service, byte[] onnx, TrialMode mode, double percent) throws Exception {
    TrialsInServiceTest.<ModelRegistry.Status>ask(service,
        r -> new ModelRegistry.StartTrial(new ModelSource.Bytes(onnx, mode.name()), mode, percent, r));
  }

  private void produce(ServiceFixture fx, String prefix, int n) {
    List<byte[]> images = new ArrayList<>(TestImages.all().values());
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(fx.image(prefix + i, images.get(i % images.size())));
    }
    kafka.produce(records);
  }

  private static <T> T ask(CatdogService service, Function<akka.actor.typed.ActorRef<StatusReply<T>>, ModelRegistry.Command> message)
      throws Exception {
    return AskPattern.<ModelRegistry.Command, T>askWithStatus(service.registry(), message::apply, Duration.ofSeconds(60),
        service.system().scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
