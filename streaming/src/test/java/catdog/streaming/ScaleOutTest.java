package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances, as child JVMs, in one consumer group on a three-partition topic share the work. */
class ScaleOutTest {
  private static final Pattern RECORDS_IN = Pattern.compile("(?m)^catdog_records_in_total (\\S+)$");
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  @Test
  void shouldSplitThePartitionsAndPredictEveryRecord() {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "t1")));
    try (ChildService a = ChildService.start("scale-a", config(fx, "a")); ChildService b = ChildService.start("scale-b", config(fx, "b"))) {
      // Both hold partitions before anything is published, so neither can take all the work alone.
      await().atMost(Duration.ofSeconds(60)).until(() -> fx.get(a.httpPort(), "/health/ready").statusCode() == 200
          && fx.get(b.httpPort(), "/health/ready").statusCode() == 200);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Set<String> ids = new TreeSet<>();
      for (int copy = 0; copy < 4; copy++) {
        for (String name : TestImages.all().keySet()) {
          records.add(fx.image(name + "#" + copy, TestImages.jpeg(name)));
          ids.add(name + "#" + copy);
        }
      }
      kafka.produce(records);
      PredictionSerde serde = new PredictionSerde();
      await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).stream()
          .map(r -> serde.deserialize(r.topic(), r.value()).getId()).collect(Collectors.toSet()).containsAll(ids));
      double byA = recordsIn(fx, a);
      double byB = recordsIn(fx, b);
      assertThat(byA).as("records read by instance a").isPositive();
      assertThat(byB).as("records read by instance b").isPositive();
      assertThat(byA + byB).isGreaterThanOrEqualTo(ids.size());
    }
  }

  private static Map<String, Object> config(ServiceFixture fx, String instance) {
    Map<String, Object> c = new HashMap<>(fx.config(Map.of()));
    c.put("catdog.instance-id", fx.group() + "-" + instance);
    return c;
  }

  private static double recordsIn(ServiceFixture fx, ChildService service) {
    Matcher m = RECORDS_IN.matcher(fx.get(service.httpPort(), "/metrics").body());
    assertThat(m.find()).as("catdog_records_in_total in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
