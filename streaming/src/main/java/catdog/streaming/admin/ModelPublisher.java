package catdog.streaming.admin;

import catdog.protocol.ModelUpdate;
import catdog.protocol.ModelUpdateSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a {@link ModelUpdate} on the models topic, creating the topic (compacted, one partition so that
 * every update is totally ordered) when it is missing. Used by {@code catdog admin publish}; blocking.
 */
public final class ModelPublisher {
  /** Updates carrying a model may be big: the topic and producer accept records up to this size. */
  public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ModelPublisher() {}

  /**
   * @param clientProperties kafka-clients properties: at least {@code bootstrap.servers}, plus any security ones
   */
  public static RecordMetadata publish(Map<String, Object> clientProperties, String topic, ModelUpdate update)
      throws InterruptedException, ExecutionException, TimeoutException {
    ensureTopic(clientProperties, topic);
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
    try (KafkaProducer<String, ModelUpdate> producer = new KafkaProducer<>(props, new StringSerializer(), new ModelUpdateSerde())) {
      return producer.send(new ProducerRecord<>(topic, update.getName(), update)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Creates the compacted models topic unless it exists. */
  public static void ensureTopic(Map<String, Object> clientProperties, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin = Admin.create(clientProperties)) {
      NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES)));
      admin.createTopics(List.of(compacted)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
