package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.javadsl.AskPattern;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twenty swaps between two models while images keep flowing through the real service and broker. */
class HotSwapUnderLoadTest {
  /**
   * How long after a swap's reply a batch that leased the old model may still stamp its predictions: a tiny
   * model scores in microseconds, but two shared cores can stall a thread for hundreds of milliseconds.
   */
  private static final long IN_FLIGHT_MS = 1000;
  private static final int SWAPS = 20;

  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  /** The model serving from {@code start} (swap sent) until the next swap's reply. */
  record Epoch(int index, String version, long start, long end) {}

  @Test
  void shouldLoseNothingMixNothingAndLeakNoSessionOverTwentySwapsUnderLoad() throws Exception {
    Path a = TestModels.write(dir, "a.onnx", TestModels.tiny("catdog", "a"));
    Path b = TestModels.write(dir, "b.onnx", TestModels.tiny("catdog", "b"));
    ServiceFixture fx = ServiceFixture.create(broker, a);
    CatdogService service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.admin.follow-models-topic", false))));
    List<byte[]> images = new ArrayList<>(TestImages.all().values());
    AtomicInteger produced = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    List<Epoch> epochs = new ArrayList<>();
    try (PredictionCollector collector = new PredictionCollector(broker.clientProperties(), fx.predictions())) {
      Thread load = new Thread(() -> {
        while (producing.get()) {
          List<ProducerRecord<byte[], byte[]>> chunk = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            int n = produced.getAndIncrement();
            chunk.add(fx.image("img-" + n, images.get(n % images.size())));
          }
          kafka.produce(chunk);
          // Keep the backlog small, so swap points and predictions stay close in time.
          await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() - collector.predictions.size() < 64 || !producing.get());
        }
      }, "load");
      load.start();
      long started = System.currentTimeMillis();
      await().atMost(Duration.ofSeconds(60)).until(() -> collector.count(p -> true) >= 20);
      epochs.add(new Epoch(0, "a", 0, Long.MAX_VALUE));
      for (int i = 1; i <= SWAPS; i++) {
        String version = i % 2 == 1 ? "b" : "a";
        long sent = System.currentTimeMillis();
        ModelRegistry.ModelSwapped swapped = AskPattern.<ModelRegistry.Command, ModelRegistry.ModelSwapped>askWithStatus(service.registry(),
            r -> new ModelRegistry.LoadModel(new ModelSource.File(version.equals("a") ? a : b), r), Duration.ofSeconds(60),
            service.system().scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        long replied = System.currentTimeMillis();
        assertThat(swapped.current().version()).isEqualTo(version);
        Epoch last = epochs.remove(epochs.size() - 1);
        epochs.add(new Epoch(last.index(), last.version(), last.start(), replied));
        epochs.add(new Epoch(i, version, sent, Long.MAX_VALUE));
        // Each epoch must also hold predictions made after the old model's grace period, or the check is empty.
        await().atMost(Duration.ofSeconds(60)).until(() -> System.currentTimeMillis() > replied + IN_FLIGHT_MS + 200
            && collector.count(p -> p.getModelVersion().equals(version) && p.getPredictedAtMs() > replied + IN_FLIGHT_MS) >= 8);
      }
      producing.set(false);
      load.join(60_000);
      int total = produced.get();
      await().atMost(Duration.ofSeconds(60)).until(() -> collector.predictions.stream().map(Prediction::getId).distinct().count() >= total);

      List<Prediction> predictions = List.copyOf(collector.predictions);
      Set<String> ids = predictions.stream().map(Prediction::getId).collect(Collectors.toSet());
      assertThat(ids).as("every image predicted").hasSize(total);
      assertThat(kafka.readAll(fx.deadLetters(), false)).as("no batch failed, no record dead-lettered").isEmpty();
      for (Prediction p : predictions) {
        assertThat(servedAt(epochs, p)).as("%s by %s at %d was serving then (epochs %s, started %d)", p.getId(), p.getModelVersion(),
            p.getPredictedAtMs(), epochs, started).isPresent();
      }
      Map<Integer, List<Prediction>> byPartition = predictions.stream().collect(Collectors.groupingBy(Prediction::getSourcePartition));
      for (List<Prediction> partition : byPartition.values()) {
        List<Prediction> ordered = partition.stream().sorted(Comparator.comparingLong(Prediction::getSourceOffset)).toList();
        int epoch = 0;
        int changes = 0;
        for (int i = 0; i < ordered.size(); i++) {
          int e = servedAt(epochs, ordered.get(i)).orElseThrow().index();
          assertThat(e).as("partition %d offset %d goes back to an older model", ordered.get(i).getSourcePartition(),
              ordered.get(i).getSourceOffset()).isGreaterThanOrEqualTo(epoch);
          epoch = e;
          if (i > 0 && !ordered.get(i).getModelVersion().equals(ordered.get(i - 1).getModelVersion())) {
            changes++;
          }
        }
        assertThat(changes).as("version changes in one partition").isLessThanOrEqualTo(SWAPS);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> openSessions(service) <= 2);
      assertThat(openSessions(service)).as("current and previous only").isBetween(1, 2);
    } finally {
      producing.set(false);
      service.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** The latest epoch of the prediction's version that was serving at its time, allowing for in-flight batches. */
  private static java.util.Optional<Epoch> servedAt(List<Epoch> epochs, Prediction p) {
    long t = p.getPredictedAtMs();
    return epochs.stream().filter(e -> e.version().equals(p.getModelVersion()) && e.start() <= t
        && (e.end() == Long.MAX_VALUE || t <= e.end() + IN_FLIGHT_MS)).max(Comparator.comparingInt(Epoch::index));
  }

  private static int openSessions(CatdogService service) {
    return AskPattern.<ModelRegistry.Command, ModelRegistry.Status>ask(service.registry(), ModelRegistry.GetStatus::new,
        Duration.ofSeconds(10), service.system().scheduler()).toCompletableFuture().join().openSessions();
  }
}
