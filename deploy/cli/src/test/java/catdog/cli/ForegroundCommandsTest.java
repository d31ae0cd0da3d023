package catdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.streaming.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** broker and serve run until SIGTERM: each is started in a child JVM, used, and terminated. */
class ForegroundCommandsTest {
  private static final Duration START = Duration.ofSeconds(90);

  @Test
  void shouldRunTheBrokerUntilSigterm(@TempDir Path dir) throws Exception {
    Path images = SampleImages.write(dir.resolve("images"), 2);
    try (ChildCatdog broker = ChildCatdog.start("broker", "--port", "0", "--partitions", "1", "--data", dir.resolve("kafka").toString())) {
      String ready = broker.awaitLine(l -> l.startsWith("broker: ready on "), START);
      Matcher address = Pattern.compile("ready on (127\\.0\\.0\\.1:\\d+)").matcher(ready);
      assertThat(address.find()).isTrue();
      assertThat(ready).contains("images,predictions,images.dlq,models");

      Run produced = Run.of("produce", "-b", address.group(1), "--images", images.toString());
      Run consumed = Run.of("consume", "-b", address.group(1), "--topic", "images", "--from-beginning", "--count", "4",
          "--timeout", "30s");

      assertThat(produced.out()).contains("produced 4 records");
      assertThat(consumed.lines()).hasSize(4);
      broker.terminate(Duration.ofSeconds(60));
      assertThat(broker.output()).contains("broker: stopped");
    }
    assertThat(dir.resolve("kafka/logs")).as("--data keeps the log").isDirectory();
  }

  @Test
  void shouldServePredictionsUntilSigtermThenDrain(@TempDir Path dir) throws Exception {
    EmbeddedKafka kafka = SharedBroker.get();
    String in = SharedBroker.unique("images");
    String out = SharedBroker.unique("predictions");
    String models = SharedBroker.unique("models");
    kafka.createTopics(in, out, in + ".dlq");
    kafka.createCompactedTopic(models);
    Path model = TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog-test", "1"));
    Path images = SampleImages.write(dir.resolve("images"), 2);
    Path conf = Files.writeString(dir.resolve("test.conf"), String.join("\n",
        "catdog.topics { images = \"" + in + "\", predictions = \"" + out + "\", dead-letters = \"" + in + ".dlq\", models = \"" + models + "\" }",
        "catdog.kafka.group-id = \"" + SharedBroker.unique("serve") + "\""));

    try (ChildCatdog serve = ChildCatdog.start("serve", "--bootstrap", kafka.bootstrapServers(), "--model", model.toString(),
        "--config", conf.toString(), "--http-port", "0")) {
      String started = serve.awaitLine(l -> l.startsWith("serve: "), START);
      assertThat(started).contains("catdog-test@1").contains("reading " + in);

      Run.of("produce", "-b", kafka.bootstrapServers(), "--images", images.toString(), "--topic", in);
      Run predictions = Run.of("consume", "-b", kafka.bootstrapServers(), "--topic", out, "--from-beginning",
          "--count", "4", "--timeout", "60s");

      assertThat(predictions.exitCode()).as(predictions.err() + serve.output()).isZero();
      assertThat(predictions.lines()).hasSize(4).allMatch(l -> l.contains("\"model_version\":\"1\""));
      serve.terminate(Duration.ofSeconds(60));
      assertThat(serve.output()).contains("serve: stopped");
    }
  }

  @Test
  void shouldRefuseAServeConfigThatDoesNotExist(@TempDir Path dir) throws IOException {
    Run run = Run.of("serve", "--config", dir.resolve("missing.conf").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no such config file");
  }
}
