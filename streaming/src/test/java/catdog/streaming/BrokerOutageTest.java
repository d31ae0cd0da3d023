package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.PredictionSerde;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service rides out a broker restart without a hand on it. */
class BrokerOutageTest {
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  private Set<String> publish(ServiceFixture fx, String batch) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    for (String name : TestImages.all().keySet()) {
      records.add(fx.image(name + "#" + batch, TestImages.jpeg(name)));
      ids.add(name + "#" + batch);
    }
    kafka.produce(records);
    return ids;
  }

  private Set<String> predictedIds(ServiceFixture fx) {
    PredictionSerde serde = new PredictionSerde();
    return kafka.readAll(fx.predictions(), false).stream().map(r -> serde.deserialize(r.topic(), r.value()).getId())
        .collect(Collectors.toSet());
  }

  @Test
  void shouldPredictEveryRecordAcrossABrokerRestart() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog", "s1", 5)));
    Set<String> ids = new TreeSet<>();
    for (int round = 0; round < 4; round++) {
      ids.addAll(publish(fx, "before-" + round));
    }
    CatdogService service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.kafka.restart.min-backoff", "200ms",
        "catdog.kafka.restart.max-backoff", "2s", "catdog.batch.max-size", 2, "catdog.compute.threads", 1))));
    try {
      // Mid-run: some of the backlog is predicted, the rest is in flight or still in the topic.
      await().atMost(Duration.ofSeconds(60)).until(() -> !predictedIds(fx).isEmpty());
      broker.restart();
      ids.addAll(publish(fx, "after"));
      await().atMost(Duration.ofSeconds(120)).until(() -> predictedIds(fx).containsAll(ids));
      assertThat(service.whenTerminated().toCompletableFuture().isDone()).as("the service kept running").isFalse();
    } finally {
      service.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertThat(predictedIds(fx)).containsAll(ids);
  }
}
