package catdog.streaming.support;

import catdog.broker.EmbeddedKafka;
import catdog.broker.SharedBroker;
import catdog.protocol.ImageEvent;
import com.google.protobuf.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fresh topics and group on the shared broker, a model path, and the service configuration that points
 * at them; plus image records and HTTP calls, for service-level tests.
 */
public record ServiceFixture(EmbeddedKafka broker, String images, String predictions, String deadLetters, String group, Path model) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Creates the three topics with the broker's default partition count (3). */
  public static ServiceFixture create(EmbeddedKafka broker, Path model) {
    ServiceFixture fx = new ServiceFixture(broker, SharedBroker.unique("images"), SharedBroker.unique("predictions"),
        SharedBroker.unique("images-dlq"), SharedBroker.unique("group"), model);
    broker.createTopics(fx.images, fx.predictions, fx.deadLetters);
    return fx;
  }

  /** The service settings for these topics as -D style keys, with {@code overrides} on top. */
  public Map<String, Object> config(Map<String, ?> overrides) {
    Map<String, Object> c = new HashMap<>();
    c.put("catdog.kafka.bootstrap-servers", broker.bootstrapServers());
    c.put("catdog.kafka.group-id", group);
    c.put("catdog.topics.images", images);
    c.put("catdog.topics.predictions", predictions);
    c.put("catdog.topics.dead-letters", deadLetters);
    c.put("catdog.model.path", model.toString());
    c.put("catdog.http.port", 0);
    c.put("catdog.instance-id", group + "-instance");
    c.put("catdog.batch.max-delay", "10ms");
    c.put("catdog.kafka.startup-timeout", "10s");
    c.put("catdog.shutdown.drain-timeout", "15s");
    // A killed instance holds its partitions until its session times out (45 s by default): 6 s is the
    // broker's minimum and keeps crash tests short.
    c.put("catdog.kafka.consumer-properties.session.timeout.ms", 6000);
    c.put("catdog.kafka.consumer-properties.heartbeat.interval.ms", 1000);
    c.putAll(overrides);
    return c;
  }

  public Config typesafe(Map<String, Object> config) {
    return ConfigFactory.parseMap(config).withFallback(ConfigFactory.load());
  }

  public ProducerRecord<byte[], byte[]> image(String id, byte[] jpeg) {
    ImageEvent.Builder e = ImageEvent.newBuilder().setId(id).setImage(ByteString.copyFrom(jpeg)).setProducedAtMs(System.currentTimeMillis());
    if (id.startsWith("cat") || id.startsWith("dog")) {
      e.setKnownLabel(TestImages.knownLabel(id));
    }
    return new ProducerRecord<>(images, id.getBytes(StandardCharsets.UTF_8), e.build().toByteArray());
  }

  public HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
