package catdog.streaming.pipeline;

import akka.NotUsed;
import akka.kafka.ProducerSettings;
import akka.stream.javadsl.Flow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The at-least-once producer: sends all of a batch's outputs and hands the batch on, in input order, once
 * the broker has acknowledged every one of them. For each record, Alpakka's producer stage completes a promise
 * (a task for the default dispatcher) and invokes its async callback (a message on the Kafka dispatcher), so the
 * producer's I/O thread woke two dispatcher threads per record on cores busy with inference. Here that thread
 * only counts down, and the stream hears once per batch. What
 * Alpakka's stage guarantees is kept: one producer per materialisation (so a restart gets a fresh one), the
 * first failed send fails the stream (the restart then resumes from the last commit), and the producer is
 * flushed and closed when the stream completes, closed at once when it fails.
 */
final class BatchProducer {
  private BatchProducer() {}

  /**
   * One batch's outputs and what goes on once they are acknowledged.
   *
   * @param inputs how many input records the outputs answer
   */
  record Batch<P>(List<ProducerRecord<byte[], byte[]>> records, int inputs, P passThrough) {}

  /** Sends batches through a producer made from {@code settings}, up to its parallelism in flight. */
  static <P> Flow<Batch<P>, Batch<P>, NotUsed> flow(ProducerSettings<byte[], byte[]> settings) {
    Duration closeTimeout = Duration.ofNanos(settings.closeTimeout().toNanos());
    return Flow.<Batch<P>, Batch<P>, NotUsed>fromMaterializer((materializer, attributes) -> {
      Producer<byte[], byte[]> producer = settings.createKafkaProducer();
      return Flow.<Batch<P>>create()
          .mapAsync(settings.parallelism(), batch -> send(producer, batch))
          .watchTermination((notUsed, done) -> {
            done.whenComplete((ok, failure) -> producer.close(failure == null ? closeTimeout : Duration.ZERO));
            return notUsed;
          });
    }).mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** Completes with the batch when every record is acknowledged; fails with the first send that fails. */
  static <P> CompletionStage<Batch<P>> send(Producer<byte[], byte[]> producer, Batch<P> batch) {
    CompletableFuture<Batch<P>> acknowledged = new CompletableFuture<>();
    if (batch.records().isEmpty()) {
      acknowledged.complete(batch);
      return acknowledged;
    }
    AtomicInteger pending = new AtomicInteger(batch.records().size());
    Callback callback = (metadata, exception) -> {
      if (exception != null) {
        acknowledged.completeExceptionally(exception);
      } else if (pending.decrementAndGet() == 0) {
        acknowledged.complete(batch);
      }
    };
    for (ProducerRecord<byte[], byte[]> record : batch.records()) {
      try {
        producer.send(record, callback);
      } catch (RuntimeException e) { // refused before it was queued: too large, producer closed, metadata timed out
        acknowledged.completeExceptionally(e);
        break;
      }
    }
    return acknowledged;
  }
}
