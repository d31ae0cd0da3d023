package catdog.streaming.admin;

import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a predictions topic from the beginning on its own thread, for as long as a test runs. */
final class PredictionCollector implements AutoCloseable {
  final ConcurrentLinkedQueue<Prediction> predictions = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  PredictionCollector(Properties clientProperties, String topic) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    PredictionSerde serde = new PredictionSerde();
    thread = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (running.get()) {
          consumer.poll(Duration.ofMillis(100)).forEach(r -> predictions.add(serde.deserialize(r.topic(), r.value())));
        }
      }
    }, "prediction-collector");
    thread.start();
  }

  long count(java.util.function.Predicate<Prediction> which) {
    return predictions.stream().filter(which).count();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
