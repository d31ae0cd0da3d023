package catdog.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import catdog.streaming.Settings;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {
  @Test
  void shouldLetFlagsWinOverTheFile(@TempDir Path dir) throws IOException {
    Path model = Files.writeString(dir.resolve("m.onnx"), "x");
    Path file = Files.writeString(dir.resolve("catdog.conf"), String.join("\n",
        "catdog.kafka.bootstrap-servers = \"from-file:9092\"",
        "catdog.kafka.group-id = \"file-group\"",
        "catdog.model.path = \"" + model + "\""));

    Config config = ServiceConfig.of(Optional.of(file), Map.of(ServiceConfig.BOOTSTRAP, "from-flag:9092"));

    assertThat(config.getString(ServiceConfig.BOOTSTRAP)).isEqualTo("from-flag:9092");
    assertThat(config.getString(ServiceConfig.GROUP)).isEqualTo("file-group");
    assertThat(config.getString(ServiceConfig.MODEL)).isEqualTo(model.toString());
  }

  @Test
  void shouldReadTheShippedExampleConfigsAsServiceSettings() {
    for (String name : new String[] {"catdog.conf", "sasl.conf"}) {
      Path file = catdog.cli.support.CatdogHome.resolve("deploy/conf/" + name);
      Settings settings = Settings.fromConfig(ServiceConfig.of(Optional.of(file), Map.of(ServiceConfig.BOOTSTRAP, "b:1")));

      assertThat(settings.kafka().bootstrapServers()).isEqualTo("b:1");
      assertThat(settings.topics().deadLetters()).isEqualTo("images.dlq");
      assertThat(settings.http().port()).isEqualTo(8080);
    }
    Settings sasl = Settings.fromConfig(ServiceConfig.of(Optional.of(catdog.cli.support.CatdogHome.resolve("deploy/conf/sasl.conf")), Map.of()));
    assertThat(sasl.kafka().consumerProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT");
  }

  @Test
  void shouldRefuseAMissingConfigFile(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.of(Optional.of(dir.resolve("nope.conf")), Map.of()));
    assertThat(e.getMessage()).contains("nope.conf");
  }

  @Test
  void shouldFindARelativeModelInTheCheckout(@TempDir Path home) throws IOException {
    Files.createDirectories(home.resolve("deploy/models"));
    Path model = Files.writeString(home.resolve("deploy/models/x.onnx"), "x");
    String previous = System.getProperty("catdog.home");
    System.setProperty("catdog.home", home.toString());
    try {
      Config config = ServiceConfig.of(Optional.empty(), Map.of(ServiceConfig.MODEL, "deploy/models/x.onnx"));
      assertThat(config.getString(ServiceConfig.MODEL)).isEqualTo(model.toString());
    } finally {
      if (previous == null) {
        System.clearProperty("catdog.home");
      } else {
        System.setProperty("catdog.home", previous);
      }
    }
  }
}
