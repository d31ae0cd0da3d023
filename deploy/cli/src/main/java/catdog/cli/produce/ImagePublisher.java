package catdog.cli.produce;

import catdog.protocol.ImageEvent;
import catdog.protocol.ImageEventSerde;
import com.google.protobuf.UnsafeByteOperations;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link PublishPlan} as ImageEvents keyed by id. With a rate, send i is scheduled at start + i/rate
 * and its produced_at_ms is that scheduled time, not the moment the producer got to it: a stalled producer
 * then shows up as latency instead of hiding it (open loop, no coordinated omission).
 */
public final class ImagePublisher implements AutoCloseable {
  /** Told about every event just before it is sent. */
  public interface Listener {
    void sending(ImageEvent event);
  }

  private final KafkaProducer<String, ImageEvent> producer;
  private final String topic;
  private volatile boolean stopped;

  public ImagePublisher(Properties clientProperties, String topic) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
    // Images are bigger than the default 16 KB batch, and the producer allocates a one-off buffer for every batch
    // bigger than batch.size: 1 MB batches come from its pool instead, which matters to a load generator
    // sharing its JVM's collector with the service under test.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1024 * 1024));
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ImageEventSerde());
    this.topic = topic;
  }

  /** Makes a running {@link #publish} stop after its current send; safe from any thread (Ctrl-C). */
  public void stop() {
    stopped = true;
  }

  public PublishSummary publish(PublishPlan plan, Listener listener) {
    AtomicLong acked = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long limit = plan.count().orElse(plan.loop() ? Long.MAX_VALUE : plan.images().size());
    long deadline = plan.duration().map(d -> d.toNanos()).orElse(Long.MAX_VALUE);
    double intervalNanos = plan.rate().isPresent() ? 1e9 / plan.rate().getAsDouble() : 0;
    long startNanos = System.nanoTime();
    long startEpochMs = System.currentTimeMillis();
    for (long seq = 0; seq < limit && !stopped; seq++) {
      if (!plan.loop() && seq >= plan.images().size()) {
        break;
      }
      long offsetNanos = (long) (seq * intervalNanos);
      if (offsetNanos >= deadline || System.nanoTime() - startNanos >= deadline) {
        break;
      }
      long producedAtMs;
      if (intervalNanos > 0) {
        waitUntil(startNanos + offsetNanos);
        producedAtMs = startEpochMs + offsetNanos / 1_000_000;
      } else {
        producedAtMs = System.currentTimeMillis();
      }
      ImageFile image = plan.images().get((int) (seq % plan.images().size()));
      ImageEvent event = event(plan, image, seq, producedAtMs);
      listener.sending(event);
      producer.send(new ProducerRecord<>(topic, event.getId(), event), (metadata, error) -> {
        if (error == null) {
          acked.incrementAndGet();
          bytes.addAndGet(image.bytes().length);
        } else {
          failed.incrementAndGet();
          firstError.compareAndSet(null, error.toString());
        }
      });
    }
    producer.flush();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    return new PublishSummary(acked.get(), bytes.get(), failed.get(), Optional.ofNullable(firstError.get()), elapsed);
  }

  static ImageEvent event(PublishPlan plan, ImageFile image, long seq, long producedAtMs) {
    String id = plan.idPrefix() + (plan.loop() ? image.id() + "#" + seq : image.id());
    ImageEvent.Builder event = ImageEvent.newBuilder()
        .setId(id)
        // Wrapped, not copied: an ImageFile's bytes are never written after it is read.
        .setImage(UnsafeByteOperations.unsafeWrap(image.bytes()))
        .setContentType(image.contentType())
        .setProducedAtMs(producedAtMs);
    image.knownLabel().ifPresent(event::setKnownLabel);
    return event.build();
  }

  private void waitUntil(long nanoTime) {
    for (long left = nanoTime - System.nanoTime(); left > 0 && !stopped; left = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
