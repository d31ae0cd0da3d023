package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.streaming.support.ChildService;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog whose decoded tensors alone would need several times the heap: with bounded buffers the service
 * leaves it in Kafka (consumer lag) and works through it in a small heap instead of running out of memory.
 */
class BackPressureTest {
  private static final int BACKLOG = 1200;
  /** 1200 tensors of 3×128×128 floats are 236 MB; the heap is 112 MB and the JVM exits on OutOfMemoryError. */
  private static final List<String> SMALL_HEAP = List.of("-Xmx112m", "-XX:+ExitOnOutOfMemoryError");
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  @Test
  void shouldWorkThroughABacklogBiggerThanTheHeapWithoutRunningOutOfMemory() {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog", "s1", 3)));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> names = new ArrayList<>(TestImages.all().keySet());
    for (int i = 0; i < BACKLOG; i++) {
      String name = names.get(i % names.size());
      records.add(fx.image(name + "#" + i, TestImages.jpeg(name)));
    }
    kafka.produce(records);
    try (ChildService service = ChildService.start("backlog", fx.config(Map.of()), SMALL_HEAP)) {
      // Mid-way the rest of the backlog is still in Kafka, not in the service's memory.
      await().atMost(Duration.ofSeconds(90)).until(() -> recordsIn(fx, service) >= BACKLOG / 4);
      assertThat(lag(fx, service)).as("consumer lag while working through the backlog").isPositive();
      await().atMost(Duration.ofSeconds(180)).until(() -> !service.isAlive() || kafka.readAll(fx.predictions(), false).size() >= BACKLOG);
      assertThat(service.isAlive()).as("the service is still running\n" + service.log()).isTrue();
      assertThat(service.log()).doesNotContain("OutOfMemoryError");
    }
  }

  private static double recordsIn(ServiceFixture fx, ChildService service) {
    return sum(fx.get(service.httpPort(), "/metrics").body(), "(?m)^catdog_records_in_total (\\S+)$");
  }

  private static double lag(ServiceFixture fx, ChildService service) {
    return sum(fx.get(service.httpPort(), "/metrics").body(), "(?m)^catdog_consumer_lag\\{[^}]*} (\\S+)$");
  }

  private static double sum(String metrics, String regex) {
    Matcher m = Pattern.compile(regex).matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }
}
