package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Settings parse(String hocon) {
    return Settings.fromConfig(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void shouldReadTheDefaultsTheCliReliesOn() {
    Settings s = parse("");
    assertThat(s.kafka().bootstrapServers()).isEqualTo(System.getenv().getOrDefault("CATDOG_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    assertThat(s.topics().images()).isEqualTo("images");
    assertThat(s.topics().predictions()).isEqualTo("predictions");
    assertThat(s.topics().deadLetters()).isEqualTo("images.dlq");
    assertThat(s.http().host()).isEqualTo("127.0.0.1");
    assertThat(s.http().port()).isZero();
    assertThat(s.delivery().mode()).isEqualTo(Settings.DeliveryMode.AT_LEAST_ONCE);
    assertThat(s.inputFormat()).isEqualTo(Settings.InputFormat.PROTOBUF);
    assertThat(s.batch().maxDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(s.batch().maxSize()).isEqualTo(8);
    assertThat(s.compute().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(s.batch().parallelism()).isEqualTo(2 * s.compute().threads());
    assertThat(s.instanceId()).isNotBlank();
    assertThat(s.delivery().transactionalId()).isEqualTo("catdog-" + s.instanceId());
  }

  @Test
  void shouldNameTheDeadLetterTopicAfterTheInputTopicUnlessTold() {
    assertThat(parse("catdog.topics.images = cameras").topics().deadLetters()).isEqualTo("cameras.dlq");
    assertThat(parse("catdog.topics { images = cameras, dead-letters = rejects }").topics().deadLetters()).isEqualTo("rejects");
  }

  @Test
  void shouldPassKafkaPropertiesThroughInQuotedAndNestedFormWithSpecificOverCommon() {
    Settings s = parse("""
        catdog.kafka {
          common-properties { "security.protocol" = "SASL_SSL", ssl.truststore.location = "/etc/ts.jks" }
          consumer-properties { "max.poll.records" = 50, "security.protocol" = "SSL" }
          sasl-mechanism = "PLAIN"
        }
        """);
    assertThat(s.kafka().consumerProperties()).containsEntry("security.protocol", "SSL").containsEntry("max.poll.records", "50")
        .containsEntry("ssl.truststore.location", "/etc/ts.jks").containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("auto.offset.reset", "earliest");
    assertThat(s.kafka().producerProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("acks", "all");
    assertThat(s.kafka().adminProperties()).containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("acks");
  }

  @Test
  void shouldMaskSecretsInTheStartupDescription() {
    Settings s = parse("""
        catdog.kafka.sasl-jaas-config = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"hunter2\\";"
        catdog.kafka.common-properties { "ssl.keystore.password" = "s3cret", "ssl.key.password" = "k3y" }
        """);
    assertThat(s.kafka().consumerProperties().get("sasl.jaas.config")).contains("hunter2");
    assertThat(s.describe()).doesNotContain("hunter2").doesNotContain("s3cret").doesNotContain("k3y").contains("sasl.jaas.config=******");
    assertThat(Settings.masked(Map.of("bootstrap.servers", "b:1"))).containsEntry("bootstrap.servers", "b:1");
  }

  @Test
  void shouldRefuseAnUnknownMode() {
    assertThatThrownBy(() -> parse("catdog.delivery.mode = sometimes")).hasMessageContaining("sometimes");
  }
}
