package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import akka.kafka.ProducerMessage;
import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.ImageEvent;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.Settings;
import catdog.streaming.inference.Preprocessing;
import catdog.streaming.support.FakeModel;
import catdog.streaming.support.TestImages;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class InferencePipelineTest extends FlowTestSupport {
  @Test
  void shouldPredictEveryImageInInputOrderWithTheModelVersion() {
    FakeModel model = FakeModel.catDog("v7");
    List<Incoming<Long>> in = new ArrayList<>();
    List<String> ids = new ArrayList<>(TestImages.all().keySet());
    for (int i = 0; i < ids.size(); i++) {
      in.add(record(100 + i, ids.get(i), event(ids.get(i), TestImages.jpeg(ids.get(i)))));
    }

    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings(), model, in);

    PredictionSerde serde = new PredictionSerde();
    for (int i = 0; i < ids.size(); i++) {
      ProducerRecord<byte[], byte[]> r = recordOf(out.get(i));
      assertThat(r.topic()).isEqualTo("predictions");
      assertThat(out.get(i).passThrough()).isEqualTo(100L + i);
      Prediction p = serde.deserialize(r.topic(), r.value());
      assertThat(p.getId()).isEqualTo(ids.get(i));
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(ids.get(i));
      assertThat(p.getModelName()).isEqualTo("fake");
      assertThat(p.getModelVersion()).isEqualTo("v7");
      assertThat(p.getSourceOffset()).isEqualTo(100L + i);
      assertThat(p.getProbabilitiesList()).hasSize(2);
      assertThat(p.getLabel()).isEqualTo(p.getProbabilities(0).getProbability() >= p.getProbabilities(1).getProbability() ? "cat" : "dog");
      assertThat(p.getBatchSize()).isBetween(1, 4);
      assertThat(p.getKnownLabel()).isEqualTo(TestImages.knownLabel(ids.get(i)));
    }
    assertThat(model.released()).as("every lease is released").isEqualTo(model.acquired());
    assertThat(model.batches()).as("batches of at most 4").isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldDeadLetterEveryKindOfBadRecordAndGoOn() {
    Settings settings = settings(Map.of("catdog.batch.max-size", 4, "catdog.batch.max-delay", "20ms",
        "catdog.instance-id", "test-1", "catdog.decode.max-bytes", 11000));
    byte[] big = new byte[12000];
    System.arraycopy(TestImages.jpeg("cat.1004.jpg"), 0, big, 0, 10487);
    List<Incoming<Long>> in = List.of(
        record(0, "garbage", "not protobuf at all".getBytes(StandardCharsets.UTF_8)),
        record(1, "ok-1", event("ok-1", TestImages.jpeg("dog.10034.jpg"))),
        record(2, "empty", ImageEvent.newBuilder().setId("empty").build().toByteArray()),
        record(3, "truncated", event("truncated", TestImages.truncatedJpeg())),
        record(4, "text", event("text", TestImages.textFile())),
        record(5, "big", event("big", big)),
        record(6, "bomb", event("bomb", TestImages.pngHeaderClaiming(30000, 30000))),
        record(7, "ok-2", event("ok-2", TestImages.jpeg("cat.1006.jpg"))));

    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings, FakeModel.catDog("v1"), in);

    List<String> kinds = new ArrayList<>();
    DeadLetterSerde serde = new DeadLetterSerde();
    for (int i = 0; i < in.size(); i++) {
      ProducerRecord<byte[], byte[]> r = recordOf(out.get(i));
      assertThat(out.get(i).passThrough()).isEqualTo((long) i);
      if (r.topic().equals("images.dlq")) {
        DeadLetter d = serde.deserialize(r.topic(), r.value());
        assertThat(d.getSourceOffset()).isEqualTo(i);
        assertThat(d.getServiceInstance()).isEqualTo("test-1");
        assertThat(d.getKey().toByteArray()).isEqualTo(in.get(i).record().key());
        assertThat(d.getValue().toByteArray()).isEqualTo(in.get(i).record().value());
        assertThat(d.getMessage()).isNotBlank();
        kinds.add(d.getErrorKind());
      } else {
        kinds.add(r.topic());
      }
    }
    assertThat(kinds).containsExactly("NOT_PROTOBUF", "predictions", "MISSING_FIELD", "UNDECODABLE_IMAGE", "UNSUPPORTED_FORMAT",
        "TOO_MANY_BYTES", "TOO_MANY_PIXELS", "predictions");
  }

  @Test
  void shouldReadEachInputTopicInItsOwnFormat() {
    Settings settings = settings(Map.of("catdog.topics.images", "images, cams", "catdog.input.per-topic.cams", "raw",
        "catdog.batch.max-delay", "5ms", "catdog.instance-id", "test-1"));
    assertThat(settings.topics().imageTopics()).containsExactly("images", "cams");
    Incoming<Long> fromCamera = new Incoming<>(new ConsumerRecord<>("cams", 0, 0, "cam-7".getBytes(StandardCharsets.UTF_8),
        TestImages.jpeg("dog.10135.jpg")), 0L);
    Incoming<Long> event = record(1, "e-1", event("e-1", TestImages.jpeg("cat.1006.jpg")));
    Incoming<Long> protobufOnRawTopic = new Incoming<>(new ConsumerRecord<>("cams", 0, 1, "x".getBytes(StandardCharsets.UTF_8),
        event("x", TestImages.jpeg("cat.1006.jpg"))), 2L);

    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings, FakeModel.catDog("v1"), List.of(fromCamera, event, protobufOnRawTopic));

    PredictionSerde serde = new PredictionSerde();
    assertThat(serde.deserialize("predictions", recordOf(out.get(0)).value()).getId()).isEqualTo("cam-7");
    assertThat(serde.deserialize("predictions", recordOf(out.get(1)).value()).getId()).isEqualTo("e-1");
    assertThat(new DeadLetterSerde().deserialize("images.dlq", recordOf(out.get(2)).value()).getErrorKind()).isEqualTo("UNSUPPORTED_FORMAT");
  }

  @Test
  void shouldDeadLetterABatchTheModelFailsOn() {
    FakeModel model = FakeModel.catDog("v1");
    model.failWith("boom");
    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings(), model,
        List.of(record(0, "a", event("a", TestImages.jpeg("cat.1004.jpg")))));
    DeadLetter d = new DeadLetterSerde().deserialize("images.dlq", recordOf(out.get(0)).value());
    assertThat(d.getErrorKind()).isEqualTo("INFERENCE_FAILED");
    assertThat(d.getMessage()).contains("boom").contains("fake@v1");
    assertThat(model.released()).isEqualTo(model.acquired());
  }

  @Test
  void shouldPreprocessAgainForAModelSwappedInWithOtherInputNeeds() {
    FakeModel model = FakeModel.catDog("v1");
    // The decoder's lease sees v1 (16x16 RGB in [0,1]); the scorer's lease, the second, sees v2 (8x8 gray
    // in [0,255]). Only a tensor made again for v2 has a mean above 1, which the fake scores as dog = 1.
    Preprocessing grayTo255 = new Preprocessing(1, 8, 8, Preprocessing.ColorOrder.GRAY, 1f, new float[1], new float[] {1},
        Preprocessing.Resize.BILINEAR);
    model.swapOnAcquire(2, FakeModel.info("v2", grayTo255));
    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings(), model,
        List.of(record(0, "a", event("a", TestImages.jpeg("cat.1004.jpg")))));
    Prediction p = new PredictionSerde().deserialize("predictions", recordOf(out.get(0)).value());
    assertThat(p.getModelVersion()).isEqualTo("v2");
    assertThat(p.getProbabilities(1).getProbability()).isEqualTo(1f);
    assertThat(model.released()).isEqualTo(model.acquired());
  }

  @Test
  void shouldReadRawImagesWithTheKeyAsIdAndWriteJson() throws Exception {
    Settings settings = settings(Map.of("catdog.input.format", "raw", "catdog.output.format", "json",
        "catdog.batch.max-delay", "5ms", "catdog.instance-id", "test-1"));
    Incoming<Long> image = new Incoming<>(new ConsumerRecord<>("images", 2, 9, "raw-id".getBytes(StandardCharsets.UTF_8),
        TestImages.jpeg("dog.10135.jpg")), 9L);
    Incoming<Long> text = record(10, "t", TestImages.textFile());

    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = run(settings, FakeModel.catDog("v3"), List.of(image, text));

    Prediction.Builder p = Prediction.newBuilder();
    JsonFormat.parser().merge(new String(recordOf(out.get(0)).value(), StandardCharsets.UTF_8), p);
    assertThat(p.getId()).isEqualTo("raw-id");
    assertThat(p.getSourcePartition()).isEqualTo(2);
    assertThat(p.getModelVersion()).isEqualTo("v3");
    assertThat(p.getProducedAtMs()).isEqualTo(image.record().timestamp());
    DeadLetter d = new DeadLetterSerde().deserialize("images.dlq", recordOf(out.get(1)).value());
    assertThat(d.getErrorKind()).isEqualTo("UNSUPPORTED_FORMAT");
  }
}
