package catdog.streaming.pipeline;

import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import catdog.streaming.inference.Preprocessing;
import catdog.streaming.inference.RoutedScoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one batch on one compute thread: decodes its images straight into the batch's input, scores it with
 * the models the admin side routes it to (the serving model, a canary for some keys, a shadow copy) and turns
 * every record of the batch, refused ones included, into its outputs, in input order: one prediction or one
 * dead letter, plus a shadow prediction while a shadow runs. The committer then sees offsets in order, and an
 * offset is committed only with all of its record's outputs.
 *
 * <p>Why decoding is done here, a batch at a time, and not image by image ahead of the batcher: one task per
 * batch instead of one per image plus one per batch, no tensor copied from image to batch, and under load the
 * batcher fills from records already read instead of waiting on decodes. On 2 cores this took the stream
 * without Kafka from 500-555 to 530-600 images/s and end to end from 481-487 to 512-513, back to back.
 */
final class Scorer {
  private static final Logger log = LoggerFactory.getLogger(Scorer.class);
  /** A swap to a model with other input needs between preprocessing and scoring is retried this often. */
  private static final int ATTEMPTS = 3;

  private final ModelLeases leases;
  private final Decoder decoder;
  private final Outputs outputs;
  private final PipelineMetrics metrics;
  private final ThreadLocal<float[]> batchInput = ThreadLocal.withInitial(() -> new float[0]);

  Scorer(ModelLeases leases, Decoder decoder, Outputs outputs, PipelineMetrics metrics) {
    this.leases = leases;
    this.decoder = decoder;
    this.outputs = outputs;
    this.metrics = metrics;
  }

  /** A record waiting for its batch, since when: for the batch-wait metric. */
  record Queued<P>(Incoming<P> in, long sinceNanos) {}

  /** A record's outputs, in the order they are to be written, with the offset to commit once all are. */
  record Answer<P>(P offset, List<ProducerRecord<byte[], byte[]>> records) {}

  /** Decodes the batch's images into one input, scores it, and answers every record in input order. */
  <P> List<Answer<P>> score(List<Queued<P>> batch) {
    long now = System.nanoTime();
    List<List<ProducerRecord<byte[], byte[]>>> out = new ArrayList<>(batch.size());
    List<Integer> positions = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      metrics.batchWaitSeconds.observe((now - batch.get(i).sinceNanos()) / 1e9);
      out.add(new ArrayList<>(2));
      positions.add(i);
    }
    scoreAt(batch, positions, out, 1);
    List<Answer<P>> answers = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      answers.add(new Answer<>(batch.get(i).in().offset(), out.get(i)));
    }
    return answers;
  }

  /** Scores the records of {@code batch} at {@code positions}, adding their outputs to {@code out}. */
  private <P> void scoreAt(List<Queued<P>> batch, List<Integer> positions, List<List<ProducerRecord<byte[], byte[]>>> out, int attempt) {
    Preprocessing needed;
    try (ModelLease lease = leases.acquire().orElseThrow(() -> new IllegalStateException("no model is loaded"))) {
      needed = lease.info().preprocessing();
    }
    int size = needed.tensorSize();
    float[] input = batchBuffer(positions.size() * size);
    List<Integer> scored = new ArrayList<>(positions.size());
    List<Work.Ready<P>> ready = new ArrayList<>(positions.size());
    List<String> keys = new ArrayList<>(positions.size());
    for (int at : positions) {
      Work<P> work = decoder.decodeInto(batch.get(at).in(), needed, input, scored.size() * size);
      if (work instanceof Work.Refused<P> refused) {
        out.get(at).add(deadLetter(refused.in().record(), refused.kind(), refused.reason()));
        continue;
      }
      Work.Ready<P> r = (Work.Ready<P>) work;
      scored.add(at);
      ready.add(r);
      keys.add(r.input().id());
    }
    if (scored.isEmpty()) {
      return;
    }
    int n = scored.size();
    long start = System.nanoTime();
    RoutedScoring.Outcome outcome = RoutedScoring.score(leases, keys, input, size);
    metrics.inferenceSeconds.observe((System.nanoTime() - start) / 1e9);
    metrics.batchSize.observe(n);
    if (outcome.rows().isEmpty()) {
      throw new IllegalStateException("no model is loaded");
    }
    if (attempt < ATTEMPTS && outcome.rows().stream().anyMatch(row -> !row.model().preprocessing().equals(needed))) {
      // Swapped, between the lease that said how to preprocess and the scoring leases, to a model with other
      // input needs: the scores are for the wrong input, so none is used and the images are decoded again.
      // Dead letters already written for this batch stay; those records are done.
      scoreAt(batch, scored, out, attempt + 1);
      return;
    }
    for (int k = 0; k < n; k++) {
      Work.Ready<P> r = ready.get(k);
      List<ProducerRecord<byte[], byte[]>> records = out.get(scored.get(k));
      RoutedScoring.Row row = outcome.rows().get(k);
      if (row instanceof RoutedScoring.Row.Failed failed) {
        records.add(deadLetter(r.in().record(), "INFERENCE_FAILED",
            "model " + failed.model().id() + " failed on a batch of " + n + ": " + failed.reason()));
        continue;
      }
      float[] probabilities = ((RoutedScoring.Row.Scored) row).probabilities();
      records.add(outputs.prediction(r.in().record(), r.input(), row.model(), probabilities, n, row.canary()));
      if (r.input().producedAtMs() > 0) {
        metrics.endToEndSeconds.observe(Math.max(0, System.currentTimeMillis() - r.input().producedAtMs()) / 1e3);
      }
      int at = k;
      outcome.shadow().ifPresent(shadow ->
          records.add(outputs.shadowPrediction(r.in().record(), r.input(), shadow.model(), shadow.probabilities()[at], n)));
    }
  }

  /**
   * This thread's batch input, grown when a batch needs more: one array per scoring thread instead of one
   * per batch. Models read only the first n tensors of it.
   */
  private float[] batchBuffer(int length) {
    float[] buffer = batchInput.get();
    if (buffer.length < length) {
      buffer = new float[length];
      batchInput.set(buffer);
    }
    return buffer;
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, String kind, String reason) {
    log.warn("Dead letter from {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(), kind, reason);
    metrics.deadLetters.labelValues(kind).inc();
    return outputs.deadLetter(source, kind, reason);
  }
}
