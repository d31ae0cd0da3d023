package catdog.cli.bench;

import catdog.cli.matching.ThroughputWindow;
import catdog.protocol.ClassProbability;
import catdog.protocol.ImageEvent;
import catdog.protocol.ImageEventSerde;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline: what a user might write instead of the service. One KafkaConsumer poll loop; each record
 * decoded with plain ImageIO, resized, scored alone by ONNX Runtime, its prediction produced synchronously;
 * one commit per poll. Same broker, same images, same model as the end-to-end figure.
 */
final class NaiveClassifier {
  private NaiveClassifier() {}

  /** Classifies {@code count} events from {@code input}; images per second from {@code windowStart} to 90% done. */
  static double run(Properties client, String input, String output, int count, double windowStart, OnnxModel model,
      ImagePreprocessor preprocessor, Duration timeout) {
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-naive-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    ModelInfo info = model.info();
    int size = info.preprocessing().tensorSize();
    ThroughputWindow window = new ThroughputWindow(count, windowStart);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, ImageEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ImageEventSerde());
         KafkaProducer<String, Prediction> producer = new KafkaProducer<>(p, new StringSerializer(), new PredictionSerde())) {
      consumer.subscribe(List.of(input));
      int done = 0;
      while (done < count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the naive loop classified " + done + " of " + count + " within " + timeout);
        }
        for (ConsumerRecord<String, ImageEvent> record : consumer.poll(Duration.ofMillis(100))) {
          float[] tensor = new float[size];
          preprocessor.writeTensor(read(record.value()), tensor, 0);
          BatchResult result = model.run(tensor, 1);
          if (!(result instanceof BatchResult.Scored scored)) {
            throw new IllegalStateException("inference failed: " + ((BatchResult.Failed) result).reason());
          }
          producer.send(new ProducerRecord<>(output, record.key(), prediction(record.value(), scored.probabilities()[0], info))).get();
          window.done(++done);
        }
        consumer.commitSync();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a synchronous produce failed", e.getCause());
    }
    return window.rate();
  }

  private static BufferedImage read(ImageEvent event) {
    try {
      return ImageIO.read(new ByteArrayInputStream(event.getImage().toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + event.getId(), e);
    }
  }

  private static Prediction prediction(ImageEvent event, float[] probabilities, ModelInfo info) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      best = probabilities[i] > probabilities[best] ? i : best;
    }
    Prediction.Builder b = Prediction.newBuilder().setId(event.getId()).setClassIndex(best)
        .setLabel(info.labels().get(best)).setModelName(info.name()).setModelVersion(info.version())
        .setProducedAtMs(event.getProducedAtMs()).setPredictedAtMs(System.currentTimeMillis()).setBatchSize(1);
    for (int i = 0; i < probabilities.length; i++) {
      b.addProbabilities(ClassProbability.newBuilder().setLabel(info.labels().get(i)).setProbability(probabilities[i]));
    }
    return b.build();
  }
}
