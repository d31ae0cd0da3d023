package catdog.streaming.pipeline;

import akka.kafka.ProducerMessage;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import catdog.streaming.inference.RoutedScoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one batch with the models the admin side routes it to (the serving model, a canary for some keys,
 * a shadow copy) and turns every record of the batch, refused ones included, into its outputs, in input
 * order: one prediction or one dead letter, plus a shadow prediction while a shadow runs. The committer
 * then sees offsets in order, and an offset is committed only with all of its record's outputs.
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

  <P> List<ProducerMessage.Envelope<byte[], byte[], P>> score(List<Work<P>> batch) {
    List<List<ProducerRecord<byte[], byte[]>>> out = new ArrayList<>(batch.size());
    List<Integer> positions = new ArrayList<>(batch.size());
    List<Work.Ready<P>> ready = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Work<P> work = batch.get(i);
      out.add(new ArrayList<>(2));
      if (work instanceof Work.Refused<P> refused) {
        out.get(i).add(deadLetter(refused.in().record(), refused.kind(), refused.reason()));
      } else {
        positions.add(i);
        ready.add((Work.Ready<P>) work);
      }
    }
    if (!ready.isEmpty()) {
      long now = System.nanoTime();
      ready.forEach(r -> metrics.batchWaitSeconds.observe((now - r.readyAtNanos()) / 1e9));
      scoreReady(ready, positions, out, 1);
    }
    List<ProducerMessage.Envelope<byte[], byte[], P>> envelopes = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      P offset = batch.get(i).in().offset();
      List<ProducerRecord<byte[], byte[]>> records = out.get(i);
      envelopes.add(records.size() == 1 ? ProducerMessage.single(records.get(0), offset) : ProducerMessage.multi(records, offset));
    }
    return envelopes;
  }

  private <P> void scoreReady(List<Work.Ready<P>> ready, List<Integer> positions, List<List<ProducerRecord<byte[], byte[]>>> out,
      int attempt) {
    Preprocessing needed;
    try (ModelLease lease = leases.acquire().orElseThrow(() -> new IllegalStateException("no model is loaded"))) {
      needed = lease.info().preprocessing();
    }
    int size = needed.tensorSize();
    float[] input = batchBuffer(ready.size() * size);
    List<Integer> scored = new ArrayList<>(ready.size());
    List<String> keys = new ArrayList<>(ready.size());
    List<Integer> refusedNow = new ArrayList<>();
    for (int j = 0; j < ready.size(); j++) {
      Work.Ready<P> r = ready.get(j);
      float[] tensor = r.tensor();
      if (!r.preprocessing().equals(needed)) {
        // The model was swapped for one with other input needs after this image was decoded.
        Preprocessed again = decoder.redo(r.input(), needed);
        if (again instanceof Preprocessed.Refused refused) {
          out.get(positions.get(j)).add(deadLetter(r.in().record(), refused.kind().name(), refused.reason()));
          refusedNow.add(j);
          continue;
        }
        tensor = ((Preprocessed.Ready) again).tensor();
      }
      System.arraycopy(tensor, 0, input, scored.size() * size, size);
      scored.add(j);
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
      // Swapped again between our preprocessing lease and the scoring leases: the scores are for the wrong
      // input, so none is used. Dead letters already written for this batch stay; those records are done.
      List<Work.Ready<P>> again = new ArrayList<>();
      List<Integer> againAt = new ArrayList<>();
      for (int j = 0; j < ready.size(); j++) {
        if (!refusedNow.contains(j)) {
          again.add(ready.get(j));
          againAt.add(positions.get(j));
        }
      }
      scoreReady(again, againAt, out, attempt + 1);
      return;
    }
    // Only now are the decoded tensors done with: a retry above still reads them.
    ready.forEach(r -> decoder.release(r.tensor()));
    long nowMs = System.currentTimeMillis();
    for (int k = 0; k < n; k++) {
      Work.Ready<P> r = ready.get(scored.get(k));
      List<ProducerRecord<byte[], byte[]>> records = out.get(positions.get(scored.get(k)));
      RoutedScoring.Row row = outcome.rows().get(k);
      if (row instanceof RoutedScoring.Row.Failed failed) {
        records.add(deadLetter(r.in().record(), "INFERENCE_FAILED",
            "model " + failed.model().id() + " failed on a batch of " + n + ": " + failed.reason()));
        continue;
      }
      float[] probabilities = ((RoutedScoring.Row.Scored) row).probabilities();
      records.add(outputs.prediction(r.in().record(), r.input(), row.model(), probabilities, n, row.canary()));
      if (r.input().producedAtMs() > 0) {
        metrics.endToEndSeconds.observe(Math.max(0, nowMs - r.input().producedAtMs()) / 1e3);
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
