package catdog.streaming.pipeline;

import akka.kafka.ProducerMessage;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one batch with the model serving now and turns every record of the batch, refused ones
 * included, into exactly one output, in input order: the committer then sees offsets in order.
 */
final class Scorer {
  private static final Logger log = LoggerFactory.getLogger(Scorer.class);

  private final ModelLeases leases;
  private final Decoder decoder;
  private final Outputs outputs;
  private final PipelineMetrics metrics;

  Scorer(ModelLeases leases, Decoder decoder, Outputs outputs, PipelineMetrics metrics) {
    this.leases = leases;
    this.decoder = decoder;
    this.outputs = outputs;
    this.metrics = metrics;
  }

  <P> List<ProducerMessage.Envelope<byte[], byte[], P>> score(List<Work<P>> batch) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(null);
    }
    List<Integer> positions = new ArrayList<>(batch.size());
    List<Work.Ready<P>> ready = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Work<P> work = batch.get(i);
      if (work instanceof Work.Refused<P> refused) {
        out.set(i, deadLetter(refused.in().record(), refused.kind(), refused.reason()));
      } else {
        positions.add(i);
        ready.add((Work.Ready<P>) work);
      }
    }
    if (!ready.isEmpty()) {
      scoreReady(ready, positions, out);
    }
    List<ProducerMessage.Envelope<byte[], byte[], P>> envelopes = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      envelopes.add(ProducerMessage.single(out.get(i), batch.get(i).in().offset()));
    }
    return envelopes;
  }

  private <P> void scoreReady(List<Work.Ready<P>> ready, List<Integer> positions, List<ProducerRecord<byte[], byte[]>> out) {
    long now = System.nanoTime();
    for (Work.Ready<P> r : ready) {
      metrics.batchWaitSeconds.observe((now - r.readyAtNanos()) / 1e9);
    }
    try (ModelLease lease = leases.acquire().orElseThrow(() -> new IllegalStateException("no model is loaded"))) {
      ModelInfo model = lease.info();
      Preprocessing needed = model.preprocessing();
      int size = needed.tensorSize();
      float[] input = new float[ready.size() * size];
      List<Integer> scored = new ArrayList<>(ready.size());
      for (int j = 0; j < ready.size(); j++) {
        Work.Ready<P> r = ready.get(j);
        float[] tensor = r.tensor();
        if (!r.preprocessing().equals(needed)) {
          // The model was swapped for one with other input needs after this image was decoded.
          Preprocessed again = decoder.redo(r.input(), needed);
          if (again instanceof Preprocessed.Refused refused) {
            out.set(positions.get(j), deadLetter(r.in().record(), refused.kind().name(), refused.reason()));
            continue;
          }
          tensor = ((Preprocessed.Ready) again).tensor();
        }
        System.arraycopy(tensor, 0, input, scored.size() * size, size);
        scored.add(j);
      }
      if (scored.isEmpty()) {
        return;
      }
      int n = scored.size();
      long start = System.nanoTime();
      BatchResult result = lease.run(input, n);
      metrics.inferenceSeconds.observe((System.nanoTime() - start) / 1e9);
      metrics.batchSize.observe(n);
      if (result instanceof BatchResult.Failed failed) {
        for (int j : scored) {
          out.set(positions.get(j), deadLetter(ready.get(j).in().record(), "INFERENCE_FAILED",
              "model " + model.id() + " failed on a batch of " + n + ": " + failed.reason()));
        }
        return;
      }
      float[][] probabilities = ((BatchResult.Scored) result).probabilities();
      long nowMs = System.currentTimeMillis();
      for (int k = 0; k < n; k++) {
        Work.Ready<P> r = ready.get(scored.get(k));
        out.set(positions.get(scored.get(k)), outputs.prediction(r.in().record(), r.input(), model, probabilities[k], n));
        if (r.input().producedAtMs() > 0) {
          metrics.endToEndSeconds.observe(Math.max(0, nowMs - r.input().producedAtMs()) / 1e3);
        }
      }
    }
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, String kind, String reason) {
    log.warn("Dead letter from {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(), kind, reason);
    metrics.deadLetters.labelValues(kind).inc();
    return outputs.deadLetter(source, kind, reason);
  }
}
