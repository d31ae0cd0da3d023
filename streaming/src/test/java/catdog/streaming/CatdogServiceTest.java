package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.support.KafkaTestClient;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.support.TestImages;
import catdog.streaming.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service against the real broker with a seed-shaped ONNX model: the spine, end to end. */
class CatdogServiceTest {
  private final EmbeddedKafka broker = SharedBroker.get();
  private final KafkaTestClient kafka = new KafkaTestClient(broker.clientProperties());
  @TempDir Path dir;

  @Test
  void shouldPredictDeadLetterServeHealthAndMetricsAndResumeWithoutReprocessing() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog", "s1", 42)));
    Map<String, Object> config = fx.config(Map.of("catdog.decode.max-bytes", 20000));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (String name : TestImages.all().keySet()) {
      records.add(fx.image(name, TestImages.jpeg(name)));
    }
    byte[] big = new byte[25000];
    System.arraycopy(TestImages.jpeg("cat.1004.jpg"), 0, big, 0, 10487);
    records.add(new ProducerRecord<>(fx.images(), "junk".getBytes(StandardCharsets.UTF_8), TestImages.textFile()));
    records.add(fx.image("empty", new byte[0]));
    records.add(fx.image("truncated", TestImages.truncatedJpeg()));
    records.add(fx.image("text", TestImages.textFile()));
    records.add(fx.image("big", big));
    records.add(fx.image("bomb", TestImages.pngHeaderClaiming(30000, 30000)));
    kafka.produce(records);

    CatdogService service = CatdogService.start(fx.typesafe(config));
    assertThat(service.modelId()).isEqualTo("catdog@s1");
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).size() >= 8
        && kafka.readAll(fx.deadLetters(), false).size() >= 6);
    assertThat(fx.get(service.httpPort(), "/health/live").statusCode()).isEqualTo(200);
    assertThat(fx.get(service.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
    assertThat(fx.get(service.httpPort(), "/admin/models").statusCode()).as("admin routes served, closed without a token")
        .isIn(401, 403);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      String body = fx.get(service.httpPort(), "/metrics").body();
      return body.contains("catdog_predictions_total 8.0") && body.contains("catdog_in_flight_records 0.0");
    });
    String metrics = fx.get(service.httpPort(), "/metrics").body();
    assertThat(metrics).contains("catdog_records_in_total 14.0", "catdog_dead_letters_total{kind=\"TOO_MANY_PIXELS\"} 1.0",
        "catdog_model_loaded{name=\"catdog\",version=\"s1\"} 1.0", "catdog_batch_size_bucket", "catdog_inference_seconds_count",
        "catdog_end_to_end_latency_seconds_count 8", "catdog_consumer_lag{", "catdog_in_flight_records 0.0",
        "catdog_decode_seconds_count", "catdog_batch_wait_seconds_count 14", "catdog_dead_letters_total{kind=\"NOT_PROTOBUF\"} 1.0");
    service.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);

    PredictionSerde serde = new PredictionSerde();
    List<Prediction> predictions = kafka.readAll(fx.predictions(), false).stream().map(r -> serde.deserialize(r.topic(), r.value())).toList();
    assertThat(predictions).extracting(Prediction::getId).containsExactlyInAnyOrderElementsOf(TestImages.all().keySet());
    Map<String, float[]> direct = scoredDirectly(fx.model());
    for (Prediction p : predictions) {
      assertThat(p.getProbabilities(1).getProbability()).as("the service scores %s as the model does", p.getId())
          .isCloseTo(direct.get(p.getId())[1], org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(p.getModelName()).isEqualTo("catdog");
      assertThat(p.getModelVersion()).isEqualTo("s1");
      assertThat(p.getProbabilitiesCount()).isEqualTo(2);
      int best = p.getProbabilities(0).getProbability() >= p.getProbabilities(1).getProbability() ? 0 : 1;
      assertThat(p.getClassIndex()).isEqualTo(best);
      assertThat(p.getLabel()).isEqualTo(TestModels.LABELS.get(best));
      assertThat(p.getKnownLabel()).isEqualTo(TestImages.knownLabel(p.getId()));
      assertThat(p.getSourceTopic()).isEqualTo(fx.images());
    }
    assertInputOrderPerPartition(kafka.readAll(fx.predictions(), false));
    DeadLetterSerde dls = new DeadLetterSerde();
    Map<String, String> kinds = kafka.readAll(fx.deadLetters(), false).stream().map(r -> dls.deserialize(r.topic(), r.value()))
        .collect(Collectors.toMap(d -> d.getKey().toStringUtf8(), DeadLetter::getErrorKind));
    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("junk", "NOT_PROTOBUF", "empty", "MISSING_FIELD",
        "truncated", "UNDECODABLE_IMAGE", "text", "UNSUPPORTED_FORMAT", "big", "TOO_MANY_BYTES", "bomb", "TOO_MANY_PIXELS"));
    assertThat(kafka.uncommitted(fx.group(), fx.images())).as("all offsets committed").isEmpty();

    // The same group again: nothing is read twice, new images are.
    kafka.produce(List.of(fx.image("late-cat", TestImages.jpeg("cat.1006.jpg"))));
    CatdogService again = CatdogService.start(fx.typesafe(config));
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).size() >= 9);
    again.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<ConsumerRecord<byte[], byte[]>> all = kafka.readAll(fx.predictions(), false);
    assertThat(all).hasSize(9);
    assertThat(kafka.readAll(fx.deadLetters(), false)).hasSize(6);
  }

  /** Each sample image preprocessed and scored one by one, outside the service, with the same model file. */
  private static Map<String, float[]> scoredDirectly(Path model) {
    var loaded = (catdog.streaming.inference.OnnxModel.LoadResult.Loaded) catdog.streaming.inference.OnnxModel.load(model,
        catdog.streaming.inference.InferenceSettings.defaults());
    try (var onnx = loaded.model()) {
      var preprocessor = new catdog.streaming.inference.ImagePreprocessor(onnx.info().preprocessing(),
          catdog.streaming.inference.ImageLimits.defaults());
      Map<String, float[]> out = new java.util.HashMap<>();
      for (String name : TestImages.all().keySet()) {
        float[] tensor = ((catdog.streaming.inference.Preprocessed.Ready) preprocessor.apply(TestImages.jpeg(name))).tensor();
        out.put(name, ((catdog.streaming.inference.BatchResult.Scored) onnx.run(tensor, 1)).probabilities()[0]);
      }
      return out;
    }
  }

  /** Within each predictions partition, the predictions of one input partition follow their input offsets. */
  static void assertInputOrderPerPartition(List<ConsumerRecord<byte[], byte[]>> records) {
    PredictionSerde serde = new PredictionSerde();
    Map<String, Long> last = new java.util.HashMap<>();
    records.stream().sorted(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
        .thenComparingLong(ConsumerRecord::offset)).forEach(r -> {
          Prediction p = serde.deserialize(r.topic(), r.value());
          String key = r.partition() + "<-" + p.getSourcePartition();
          assertThat(p.getSourceOffset()).as("order of input partition %s in output partition %s", p.getSourcePartition(), r.partition())
              .isGreaterThan(last.getOrDefault(key, -1L));
          last.put(key, p.getSourceOffset());
        });
  }

  @Test
  void shouldReadRawImagesKeyedByIdAndWriteJsonPredictions() throws Exception {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "t1")));
    long timestamp = System.currentTimeMillis() - 1000;
    kafka.produce(List.of(
        new ProducerRecord<>(fx.images(), 0, timestamp, "camera-1".getBytes(StandardCharsets.UTF_8), TestImages.jpeg("dog.10192.jpg")),
        new ProducerRecord<>(fx.images(), 0, timestamp, "camera-2".getBytes(StandardCharsets.UTF_8), TestImages.textFile())));
    CatdogService service = CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.input.format", "raw", "catdog.output.format", "json"))));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll(fx.predictions(), false).size() == 1
          && kafka.readAll(fx.deadLetters(), false).size() == 1);
    } finally {
      service.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Prediction.Builder p = Prediction.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(new String(kafka.readAll(fx.predictions(), false).get(0).value(), StandardCharsets.UTF_8), p);
    assertThat(p.getId()).isEqualTo("camera-1");
    assertThat(p.getProducedAtMs()).isEqualTo(timestamp);
    assertThat(p.getModelVersion()).isEqualTo("t1");
    DeadLetter d = new DeadLetterSerde().deserialize(fx.deadLetters(), kafka.readAll(fx.deadLetters(), false).get(0).value());
    assertThat(d.getErrorKind()).isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(d.getKey().toStringUtf8()).isEqualTo("camera-2");
  }

  @Test
  void shouldRefuseToStartWithAMissingModel() {
    ServiceFixture fx = ServiceFixture.create(broker, dir.resolve("missing.onnx"));
    assertThatThrownBy(() -> CatdogService.start(fx.typesafe(fx.config(Map.of()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.onnx");
  }

  @Test
  void shouldRefuseToStartWithoutTheInputTopic() {
    ServiceFixture fx = ServiceFixture.create(broker, TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "t1")));
    assertThatThrownBy(() -> CatdogService.start(fx.typesafe(fx.config(Map.of("catdog.topics.images", "no-such-topic")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-topic");
  }
}
