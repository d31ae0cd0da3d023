package catdog.cli.matching;

import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.MalformedPayloadException;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the predictions and dead-letter topics from their current end and pairs each record with an id
 * registered through {@link #expect}. Start it before publishing: everything produced after {@link #start}
 * returns is seen. Latency is receipt time minus the event's produced_at_ms, both on this machine's clock.
 */
public final class PredictionMatcher implements AutoCloseable {
  /** Told about each first answer, on the matcher's thread. */
  public interface Listener {
    void answered(Answer answer);
  }

  private static final long MAX_LATENCY_MS = 3_600_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String predictionsTopic;
  private final Listener listener;
  private final Map<String, Long> producedAt = new ConcurrentHashMap<>();
  private final Set<String> answered = new HashSet<>();
  private final Histogram latency = new Histogram(MAX_LATENCY_MS, 3);
  private final Histogram toPrediction = new Histogram(MAX_LATENCY_MS, 3);
  private final Histogram afterPrediction = new Histogram(MAX_LATENCY_MS, 3);
  private final Map<String, Long> models = new HashMap<>();
  private final PredictionSerde predictions = new PredictionSerde();
  private final DeadLetterSerde deadLetters = new DeadLetterSerde();
  private final Thread thread;
  private volatile boolean running = true;
  private long predicted;
  private long deadLettered;
  private long duplicates;
  private long withKnownLabel;
  private long correct;

  private PredictionMatcher(KafkaConsumer<byte[], byte[]> consumer, String predictionsTopic, Listener listener) {
    this.consumer = consumer;
    this.predictionsTopic = predictionsTopic;
    this.listener = listener;
    this.thread = new Thread(this::loop, "prediction-matcher");
    this.thread.setDaemon(true);
  }

  public static PredictionMatcher start(Properties client, String predictionsTopic, String deadLetterTopic, Listener listener) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(predictionsTopic, deadLetterTopic)) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " does not exist");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // position() resolves the end offsets now, so nothing produced from here on can be skipped.
      partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    PredictionMatcher matcher = new PredictionMatcher(consumer, predictionsTopic, listener);
    matcher.thread.start();
    return matcher;
  }

  /** Registers an id to wait for; call it before the event is sent. */
  public void expect(String id, long producedAtMs) {
    producedAt.put(id, producedAtMs);
  }

  /** Waits until every expected id is answered; false when the timeout came first. */
  public synchronized boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answered.size() < producedAt.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !running) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  public synchronized MatchReport report() {
    return new MatchReport(producedAt.size(), predicted, deadLettered, duplicates, withKnownLabel, correct,
        latency.copy(), Map.copyOf(models), toPrediction.copy(), afterPrediction.copy());
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          handle(record, System.currentTimeMillis());
        }
      }
    } catch (WakeupException closing) {
      // close() woke the poll up
    } finally {
      synchronized (this) {
        running = false;
        notifyAll();
      }
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, long now) {
    try {
      if (record.topic().equals(predictionsTopic)) {
        Prediction p = predictions.deserialize(record.topic(), record.value());
        answer(p.getId(), now, latencyMs -> new Answer.Predicted(p, now, latencyMs));
      } else {
        DeadLetter letter = deadLetters.deserialize(record.topic(), record.value());
        String id = new String(letter.getKey().toByteArray(), StandardCharsets.UTF_8);
        answer(id, now, latencyMs -> new Answer.DeadLettered(id, letter, now, latencyMs));
      }
    } catch (MalformedPayloadException foreign) {
      // Not ours to judge: another producer's record on a shared topic.
    }
  }

  private void answer(String id, long now, java.util.function.LongFunction<Answer> make) {
    Long sent = producedAt.get(id);
    if (sent == null) {
      return;
    }
    Answer answer;
    synchronized (this) {
      if (!answered.add(id)) {
        duplicates++;
        return;
      }
      long latencyMs = Math.max(0, now - sent);
      latency.recordValue(clamp(latencyMs));
      answer = make.apply(latencyMs);
      if (answer instanceof Answer.Predicted p) {
        predicted++;
        long predictedAt = p.prediction().getPredictedAtMs();
        toPrediction.recordValue(clamp(predictedAt - sent));
        afterPrediction.recordValue(clamp(now - predictedAt));
        models.merge(p.prediction().getModelName() + "@" + p.prediction().getModelVersion(), 1L, Long::sum);
        p.correct().ifPresent(ok -> {
          withKnownLabel++;
          correct += ok ? 1 : 0;
        });
      } else {
        deadLettered++;
      }
      notifyAll();
    }
    listener.answered(answer);
  }

  private static long clamp(long ms) {
    return Math.max(0, Math.min(ms, MAX_LATENCY_MS));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
