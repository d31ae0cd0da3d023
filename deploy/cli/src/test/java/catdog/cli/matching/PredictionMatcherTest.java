package catdog.cli.matching;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.ClassProbability;
import catdog.protocol.DeadLetter;
import catdog.protocol.Prediction;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PredictionMatcherTest {
  private EmbeddedKafka kafka;
  private String predictions;
  private String deadLetters;

  @BeforeEach
  void topics() {
    kafka = SharedBroker.get();
    predictions = SharedBroker.unique("predictions");
    deadLetters = SharedBroker.unique("images") + ".dlq";
    kafka.createTopics(predictions, deadLetters);
  }

  @Test
  void shouldMatchPredictionsAndDeadLettersToExpectedIds() throws InterruptedException {
    send(predictions, prediction("old", 0, 0).toByteArray());
    List<Answer> seen = new CopyOnWriteArrayList<>();
    try (PredictionMatcher matcher = PredictionMatcher.start(kafka.clientProperties(), predictions, deadLetters, seen::add)) {
      long sentAt = System.currentTimeMillis() - 40;
      for (String id : List.of("cat.1.jpg", "dog.1.jpg", "dog.2.jpg", "broken.jpg")) {
        matcher.expect(id, sentAt);
      }
      send(predictions, prediction("cat.1.jpg", 0, 0).toByteArray());
      send(predictions, prediction("dog.1.jpg", 1, 0).toByteArray());
      send(predictions, prediction("dog.1.jpg", 1, 0).toByteArray());
      send(predictions, prediction("someone-else.jpg", 1, 1).toByteArray());
      send(predictions, "not protobuf at all".getBytes(StandardCharsets.UTF_8));
      send(predictions, prediction("dog.2.jpg", 1, 1).toByteArray());
      send(deadLetters, DeadLetter.newBuilder().setSourceTopic("images").setErrorKind("UNDECODABLE_IMAGE")
          .setMessage("truncated").setKey(ByteString.copyFromUtf8("broken.jpg")).build().toByteArray());

      assertThat(matcher.awaitAll(Duration.ofSeconds(30))).isTrue();
      MatchReport report = matcher.report();

      assertThat(report.expected()).isEqualTo(4);
      assertThat(report.predicted()).isEqualTo(3);
      assertThat(report.deadLettered()).isEqualTo(1);
      assertThat(report.unanswered()).isZero();
      assertThat(report.withKnownLabel()).isEqualTo(3);
      assertThat(report.correct()).as("dog.1.jpg was scored as a cat").isEqualTo(2);
      assertThat(report.accuracyText()).isEqualTo("66.7%");
      assertThat(report.percentileMs(50)).isGreaterThanOrEqualTo(40);
      assertThat(report.mainModel()).isEqualTo("catdog@7");
      assertThat(seen).hasSize(4).filteredOn(a -> a instanceof Answer.DeadLettered).hasSize(1);
    }
  }

  @Test
  void shouldReportUnansweredIdsWhenTheTimeoutComesFirst() throws InterruptedException {
    try (PredictionMatcher matcher = PredictionMatcher.start(kafka.clientProperties(), predictions, deadLetters, a -> { })) {
      matcher.expect("cat.1.jpg", System.currentTimeMillis());
      matcher.expect("cat.2.jpg", System.currentTimeMillis());
      send(predictions, prediction("cat.1.jpg", 0, 0).toByteArray());

      assertThat(matcher.awaitAll(Duration.ofSeconds(2))).isFalse();
      assertThat(matcher.report().predicted()).isEqualTo(1);
      assertThat(matcher.report().unanswered()).isEqualTo(1);
    }
  }

  /** A prediction of {@code classIndex} for an image whose known label is {@code known}. */
  private static Prediction prediction(String id, int known, int classIndex) {
    return Prediction.newBuilder().setId(id).setClassIndex(classIndex).setLabel(classIndex == 0 ? "cat" : "dog")
        .addProbabilities(ClassProbability.newBuilder().setLabel("cat").setProbability(classIndex == 0 ? 0.9f : 0.1f))
        .addProbabilities(ClassProbability.newBuilder().setLabel("dog").setProbability(classIndex == 0 ? 0.1f : 0.9f))
        .setModelName("catdog").setModelVersion("7").setKnownLabel(known).build();
  }

  private void send(String topic, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, value));
    }
  }
}
