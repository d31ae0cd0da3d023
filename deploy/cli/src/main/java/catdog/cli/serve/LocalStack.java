package catdog.cli.serve;

import catdog.broker.BrokerSettings;
import catdog.broker.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway local system: an embedded broker on a free port with a temporary data dir, the topics, and
 * the service in-process. Nothing outlives {@link #close()}, so a second run finds no ports, dirs or locks.
 */
public final class LocalStack implements AutoCloseable {
  public static final String IMAGES = "images";
  public static final String PREDICTIONS = "predictions";
  public static final String DEAD_LETTERS = "images.dlq";
  public static final String MODELS = "models";

  private final EmbeddedKafka kafka;
  private final InProcessService service;

  private LocalStack(EmbeddedKafka kafka, InProcessService service) {
    this.kafka = kafka;
    this.service = service;
  }

  /** Starts the broker, creates the topics and starts the service on {@code model}. */
  public static LocalStack start(Path model, int partitions, String groupId, Map<String, ?> overrides) {
    EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral(partitions));
    try {
      kafka.createTopics(IMAGES, PREDICTIONS, DEAD_LETTERS);
      kafka.createCompactedTopic(MODELS);
      Map<String, Object> settings = new HashMap<>(overrides);
      settings.put(ServiceConfig.BOOTSTRAP, kafka.bootstrapServers());
      settings.put(ServiceConfig.MODEL, model.toAbsolutePath().toString());
      settings.put(ServiceConfig.GROUP, groupId);
      settings.put(ServiceConfig.HTTP_PORT, 0);
      settings.put("catdog.topics.images", IMAGES);
      settings.put("catdog.topics.predictions", PREDICTIONS);
      settings.put("catdog.topics.dead-letters", DEAD_LETTERS);
      settings.put("catdog.topics.models", MODELS);
      InProcessService service = InProcessService.start(ServiceConfig.of(Optional.empty(), settings));
      try {
        service.awaitReady(Duration.ofSeconds(60));
      } catch (RuntimeException e) {
        service.close();
        throw e;
      }
      return new LocalStack(kafka, service);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public InProcessService service() {
    return service;
  }

  @Override
  public void close() {
    try {
      service.close();
    } finally {
      kafka.close();
    }
  }
}
