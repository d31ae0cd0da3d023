package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.kafka.javadsl.Consumer;
import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.ImageEvent;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.Settings;
import catdog.streaming.support.FakeModel;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.TestImages;
import com.google.protobuf.ByteString;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The Kafka half of the pipeline against the real broker, with a stand-in model. */
class PipelineKafkaTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    pool.shutdownNow();
  }

  private Settings settings(String images, String predictions, String dlq, String group) {
    return Settings.fromConfig(ConfigFactory.parseMap(Map.of(
            "catdog.kafka.bootstrap-servers", broker.bootstrapServers(),
            "catdog.kafka.group-id", group,
            "catdog.topics.images", images,
            "catdog.topics.predictions", predictions,
            "catdog.topics.dead-letters", dlq,
            "catdog.instance-id", "pipeline-test",
            "catdog.batch.max-delay", "10ms"))
        .withFallback(ConfigFactory.load()).resolve());
  }

  private Consumer.DrainingControl<Done> run(Settings settings, FakeModel model, PartitionTracker partitions) {
    PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry(), Optional::empty);
    InferencePipeline.Resources resources = new InferencePipeline.Resources(model, metrics, partitions, pool, Clock.systemUTC());
    return InferencePipeline.create(settings, testKit.system(), resources).run(testKit.system());
  }

  private static ProducerRecord<byte[], byte[]> image(String topic, String id) {
    byte[] value = ImageEvent.newBuilder().setId(id).setImage(ByteString.copyFrom(TestImages.jpeg(id.replaceAll("#.*", ""))))
        .setProducedAtMs(System.currentTimeMillis()).build().toByteArray();
    return new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value);
  }

  private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    PredictionSerde serde = new PredictionSerde();
    return records.stream().map(r -> serde.deserialize(r.topic(), r.value()).getId()).toList();
  }

  @Test
  void shouldPredictDeadLetterAndCommitThenResumeWithoutReprocessing() throws Exception {
    String images = SharedBroker.unique("images");
    String predictions = SharedBroker.unique("predictions");
    String dlq = SharedBroker.unique("dlq");
    String group = SharedBroker.unique("group");
    broker.createTopics(images, predictions, dlq);
    List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (String name : TestImages.all().keySet()) {
      first.add(image(images, name));
      expected.add(name);
    }
    first.add(new ProducerRecord<>(images, "junk".getBytes(StandardCharsets.UTF_8), TestImages.textFile()));
    kafka.produce(first);

    Settings settings = settings(images, predictions, dlq, group);
    PartitionTracker partitions = new PartitionTracker();
    Consumer.DrainingControl<Done> control = run(settings, FakeModel.catDog("v1"), partitions);
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(predictions, false).size() >= expected.size()
        && kafka.readAll(dlq, false).size() >= 1);
    assertThat(partitions.assigned()).hasSize(3);
    control.drainAndShutdown(pool).toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<ConsumerRecord<byte[], byte[]>> predicted = kafka.readAll(predictions, false);
    assertThat(ids(predicted)).containsExactlyInAnyOrderElementsOf(expected);
    Prediction any = new PredictionSerde().deserialize(predictions, predicted.get(0).value());
    assertThat(any.getModelVersion()).isEqualTo("v1");
    DeadLetter dead = new DeadLetterSerde().deserialize(dlq, kafka.readAll(dlq, false).get(0).value());
    assertThat(dead.getErrorKind()).isEqualTo("NOT_PROTOBUF");
    assertThat(dead.getKey().toStringUtf8()).isEqualTo("junk");
    assertThat(kafka.uncommitted(group, images)).as("every offset committed after drain").isEmpty();

    // Same group again: only the two new images are read.
    kafka.produce(List.of(image(images, "cat.1004.jpg#2"), image(images, "dog.10034.jpg#2")));
    Consumer.DrainingControl<Done> again = run(settings, FakeModel.catDog("v2"), new PartitionTracker());
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(predictions, false).size() >= expected.size() + 2);
    again.drainAndShutdown(pool).toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<ConsumerRecord<byte[], byte[]>> all = kafka.readAll(predictions, false);
    assertThat(all).hasSize(expected.size() + 2);
    PredictionSerde serde = new PredictionSerde();
    assertThat(all.stream().map(r -> serde.deserialize(predictions, r.value())).filter(p -> p.getModelVersion().equals("v2"))
        .map(Prediction::getId)).containsExactlyInAnyOrder("cat.1004.jpg#2", "dog.10034.jpg#2");
    assertThat(kafka.readAll(dlq, false)).hasSize(1);
    assertThat(kafka.uncommitted(group, images)).isEmpty();
  }
}
