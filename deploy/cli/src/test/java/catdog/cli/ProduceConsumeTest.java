package catdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.ClassProbability;
import catdog.protocol.DeadLetter;
import catdog.protocol.Prediction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceConsumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafka kafka;

  @TempDir static Path images;

  @BeforeAll
  static void start() {
    kafka = SharedBroker.get();
    SampleImages.write(images, 3);
  }

  @Test
  void shouldRoundTripImagesThroughProduceAndConsume() throws IOException {
    String topic = SharedBroker.unique("images");
    Run produced = Run.of("produce", "-b", kafka.bootstrapServers(), "--images", images.toString(), "--topic", topic);
    assertThat(produced.exitCode()).as(produced.err()).isZero();
    assertThat(produced.out()).contains("produced 6 records").contains("to " + topic);

    Run consumed = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", topic, "--from-beginning",
        "--count", "6", "--timeout", "30s");

    assertThat(consumed.exitCode()).as(consumed.err()).isZero();
    List<JsonNode> events = parse(consumed.lines());
    assertThat(events).extracting(e -> e.get("id").asText())
        .containsExactlyInAnyOrder("cat.0.jpg", "cat.1.jpg", "cat.2.jpg", "dog.0.jpg", "dog.1.jpg", "dog.2.jpg");
    for (JsonNode event : events) {
      int expected = event.get("id").asText().startsWith("cat") ? 0 : 1;
      assertThat(event.path("known_label").asInt(-1)).isEqualTo(expected);
      assertThat(event.get("content_type").asText()).isEqualTo("image/jpeg");
      assertThat(event.get("produced_at_ms").asLong()).isPositive();
      assertThat(event.get("attributes").get("image_bytes").asInt()).isPositive();
    }
  }

  @Test
  void shouldGiveLoopedEventsUniqueIds() throws IOException {
    String topic = SharedBroker.unique("images");
    Run produced = Run.of("produce", "-b", kafka.bootstrapServers(), "--images", images.toString(), "--topic", topic,
        "--count", "14");
    assertThat(produced.out()).contains("produced 14 records");

    Run consumed = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", topic, "--from-beginning",
        "--count", "14", "--timeout", "30s");

    List<String> ids = parse(consumed.lines()).stream().map(e -> e.get("id").asText()).toList();
    assertThat(ids).hasSize(14).doesNotHaveDuplicates().contains("cat.0.jpg#0", "cat.0.jpg#6", "cat.1.jpg#13");
  }

  @Test
  void shouldPrintPredictionsAndDeadLettersAsJson() throws IOException {
    String predictions = SharedBroker.unique("predictions");
    String deadLetters = SharedBroker.unique("images") + ".dlq";
    Prediction prediction = Prediction.newBuilder().setId("cat.7.jpg").setLabel("cat").setClassIndex(0)
        .addProbabilities(ClassProbability.newBuilder().setLabel("cat").setProbability(0.75f))
        .addProbabilities(ClassProbability.newBuilder().setLabel("dog").setProbability(0.25f))
        .setModelName("catdog").setModelVersion("3").setSourceTopic("images").build();
    DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("images").setSourceOffset(41)
        .setErrorKind("UNDECODABLE_IMAGE").setMessage("not a JPEG").setValue(ByteString.copyFromUtf8("junk")).build();
    send(predictions, prediction.toByteArray());
    send(deadLetters, "garbage".getBytes(StandardCharsets.UTF_8));
    send(deadLetters, letter.toByteArray());

    Run p = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", predictions, "--from-beginning", "--count", "1");
    Run d = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", deadLetters, "--from-beginning", "--count", "2");

    JsonNode printed = JSON.readTree(p.lines().get(0));
    assertThat(printed.get("id").asText()).isEqualTo("cat.7.jpg");
    assertThat(printed.get("model_version").asText()).isEqualTo("3");
    assertThat(printed.get("probabilities").get(0).get("probability").asDouble()).isEqualTo(0.75);
    assertThat(d.lines()).as("the unreadable record counts but prints to stderr").hasSize(1);
    JsonNode dead = JSON.readTree(d.lines().get(0));
    assertThat(dead.get("error_kind").asText()).isEqualTo("UNDECODABLE_IMAGE");
    assertThat(dead.get("source_offset").asLong()).isEqualTo(41);
    assertThat(dead.has("value")).as("payload bytes are left out by default").isFalse();
    assertThat(d.err()).contains("is no catdog record");
  }

  @Test
  void shouldStopAfterTimeoutWithoutNewRecords() throws IOException {
    String topic = SharedBroker.unique("images");
    Run.of("produce", "-b", kafka.bootstrapServers(), "--images", images.toString(), "--topic", topic, "--count", "2");

    Run consumed = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", topic, "--from-beginning",
        "--count", "5", "--timeout", "3s");

    assertThat(consumed.lines()).hasSize(2);
    assertThat(consumed.exitCode()).as("fewer records than --count asked for").isEqualTo(1);
    assertThat(consumed.err()).contains("2 of 5 records");
    Run open = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", topic, "--from-beginning", "--timeout", "3s");
    assertThat(open.exitCode()).isZero();
    assertThat(open.lines()).hasSize(2);
  }

  private static void send(String topic, byte[] value) {
    Properties p = kafka.clientProperties();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, value));
    }
  }

  private static List<JsonNode> parse(List<String> lines) throws IOException {
    List<JsonNode> nodes = new java.util.ArrayList<>();
    for (String line : lines) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }
}
