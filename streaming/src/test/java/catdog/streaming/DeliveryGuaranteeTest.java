package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.support.ChildService;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a child JVM, stopped by SIGTERM or killed by SIGKILL mid-stream, in both delivery modes.
 * Each test publishes the sample images several times under distinct ids and counts predictions per id.
 */
class DeliveryGuaranteeTest {
  private static final int COPIES = 6;
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  private ServiceFixture fixture() {
    return ServiceFixture.create(broker, TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog", "s1", 7)));
  }

  /** Publishes every sample image {@link #COPIES} times; returns the ids. */
  private Set<String> publish(ServiceFixture fx) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    for (int copy = 0; copy < COPIES; copy++) {
      for (String name : TestImages.all().keySet()) {
        String id = name + "#" + copy;
        records.add(fx.image(id, TestImages.jpeg(name)));
        ids.add(id);
      }
    }
    kafka.produce(records);
    return ids;
  }

  private Map<String, Long> predictionsPerId(ServiceFixture fx, boolean readCommitted) {
    PredictionSerde serde = new PredictionSerde();
    return kafka.readAll(fx.predictions(), readCommitted).stream().map(r -> serde.deserialize(r.topic(), r.value()).getId())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private Map<String, Object> config(ServiceFixture fx, String mode) {
    // A fixed instance id, as a StatefulSet pod name would be: the restarted instance reuses the
    // transactional id and so aborts its killed predecessor's open transaction at once.
    // Transactions of 2 s: a kill right after a new prediction shows up lands inside an open transaction.
    return fx.config(Map.of("catdog.delivery.mode", mode, "catdog.instance-id", fx.group() + "-0", "catdog.batch.max-size", 4,
        "catdog.compute.threads", 1, "catdog.delivery.transaction-interval", "2s"));
  }

  @Test
  void shouldDrainOnSigtermLeavingNoPredictedRecordUncommittedAndReprocessNothingOnRestart() throws Exception {
    ServiceFixture fx = fixture();
    Set<String> ids = publish(fx);
    try (ChildService first = ChildService.start("drain-1", config(fx, "at-least-once"))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !predictionsPerId(fx, false).isEmpty());
      int exit = first.terminate(Duration.ofSeconds(40));
      assertThat(exit).as("SIGTERM exit code\n" + first.log()).isIn(0, 143);
      assertThat(first.log()).contains("catdog draining");
    }
    Map<TopicPartition, Long> committed = committed(fx);
    PredictionSerde serde = new PredictionSerde();
    for (var record : kafka.readAll(fx.predictions(), false)) {
      Prediction p = serde.deserialize(record.topic(), record.value());
      TopicPartition source = new TopicPartition(p.getSourceTopic(), p.getSourcePartition());
      assertThat(committed.getOrDefault(source, 0L)).as("committed offset of %s covers predicted %s", source, p.getId())
          .isGreaterThan(p.getSourceOffset());
    }
    try (ChildService second = ChildService.start("drain-2", config(fx, "at-least-once"))) {
      await().atMost(Duration.ofSeconds(90)).until(() -> predictionsPerId(fx, false).keySet().containsAll(ids));
      second.terminate(Duration.ofSeconds(40));
    }
    assertThat(predictionsPerId(fx, false)).as("each image predicted exactly once across the drain")
        .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L)).hasSize(ids.size());
  }

  @Test
  void shouldPredictEveryImageAtLeastOnceAcrossTwoKills() {
    ServiceFixture fx = fixture();
    Set<String> ids = publish(fx);
    killTwiceThenFinish(fx, ids, "at-least-once", false);
    assertThat(predictionsPerId(fx, false).keySet()).containsAll(ids);
  }

  @Test
  void shouldPredictEveryImageExactlyOnceForReadCommittedAcrossTwoKills() {
    ServiceFixture fx = fixture();
    Set<String> ids = publish(fx);
    killTwiceThenFinish(fx, ids, "exactly-once", true);
    Map<String, Long> counts = predictionsPerId(fx, true);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(counts).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    // The kills did interrupt transactions: their aborted predictions are in the log, hidden from read_committed.
    assertThat(kafka.readAll(fx.predictions(), false).size()).as("records in the log, aborted ones included").isGreaterThan(ids.size());
  }

  private void killTwiceThenFinish(ServiceFixture fx, Set<String> ids, String mode, boolean readCommitted) {
    int seen = 0;
    for (int kill = 1; kill <= 2; kill++) {
      int before = seen;
      try (ChildService service = ChildService.start(mode + "-" + kill, config(fx, mode))) {
        // Uncommitted reads show progress as soon as records are written, transactions or not.
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).size() > before);
        service.kill();
      }
      seen = kafka.readAll(fx.predictions(), false).size();
    }
    try (ChildService last = ChildService.start(mode + "-last", config(fx, mode))) {
      await().atMost(Duration.ofSeconds(120)).until(() -> predictionsPerId(fx, readCommitted).keySet().containsAll(ids));
      last.terminate(Duration.ofSeconds(40));
    }
  }

  private Map<TopicPartition, Long> committed(ServiceFixture fx) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(fx.group()).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      offsets.forEach((tp, om) -> out.put(tp, om == null ? 0L : om.offset()));
      return out;
    }
  }
}
