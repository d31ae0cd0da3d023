package catdog.streaming.pipeline;

import akka.kafka.ProducerMessage;
import catdog.streaming.inference.ModelInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The pipeline's Prometheus metrics, in a registry of the service's own (so two services in one JVM, as
 * in tests, do not share counters). Names are {@code catdog_*}; durations are in seconds.
 */
public final class PipelineMetrics {
  private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private static final double[] SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  private final PrometheusRegistry registry;
  final Counter recordsIn;
  final Counter predictions;
  final Counter deadLetters;
  final Histogram decodeSeconds;
  final Histogram batchWaitSeconds;
  final Histogram batchSize;
  final Histogram inferenceSeconds;
  final Histogram endToEndSeconds;
  private final Counter outputsAcknowledged;
  private final AtomicReference<Supplier<CompletionStage<Map<MetricName, Metric>>>> consumerMetrics =
      new AtomicReference<>(() -> java.util.concurrent.CompletableFuture.completedFuture(Map.of()));

  /**
   * @param model the model serving now, for the {@code catdog_model_loaded} gauge; empty before one is loaded
   */
  public PipelineMetrics(PrometheusRegistry registry, Supplier<Optional<ModelInfo>> model) {
    this.registry = registry;
    recordsIn = Counter.builder().name("catdog_records_in").help("Records read from the images topic").register(registry);
    predictions = Counter.builder().name("catdog_predictions").help("Predictions acknowledged by the broker").register(registry);
    deadLetters = Counter.builder().name("catdog_dead_letters").help("Records sent to the dead-letter topic, by error kind")
        .labelNames("kind").register(registry);
    outputsAcknowledged = Counter.builder().name("catdog_outputs_acknowledged")
        .help("Predictions and dead letters acknowledged by the broker").register(registry);
    decodeSeconds = histogram("catdog_decode_seconds", "Time to decode and preprocess one image", SECONDS);
    batchWaitSeconds = histogram("catdog_batch_wait_seconds", "Time a record waited for its batch to start on a compute thread", SECONDS);
    batchSize = histogram("catdog_batch_size", "Images per inference batch", SIZES);
    inferenceSeconds = histogram("catdog_inference_seconds", "Time of one ONNX Runtime batch", SECONDS);
    endToEndSeconds = histogram("catdog_end_to_end_latency_seconds", "From the image's produced-at time to its prediction", SECONDS);
    GaugeWithCallback.builder().name("catdog_in_flight_records").help("Records read and not yet acknowledged downstream")
        .callback(cb -> cb.call(Math.max(0, recordsIn.get() - outputsAcknowledged.get()))).register(registry);
    GaugeWithCallback.builder().name("catdog_consumer_lag").help("Records behind the end of each assigned input partition")
        .labelNames("topic", "partition").callback(this::reportLag).register(registry);
    GaugeWithCallback.builder().name("catdog_model_loaded").help("1 for the model now serving, labelled with its name and version")
        .labelNames("name", "version").callback(cb -> model.get().ifPresent(m -> cb.call(1, m.name(), m.version()))).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Where the consumer lag comes from: the running consumer's kafka-clients metrics. */
  public void consumerMetricsFrom(Supplier<CompletionStage<Map<MetricName, Metric>>> source) {
    consumerMetrics.set(source);
  }

  /** The outputs of {@code records} input records were acknowledged: their predictions (plus any shadow copies) or dead letters. */
  void acknowledged(ProducerMessage.Results<byte[], byte[], ?> results, int records, String predictionsTopic) {
    if (results instanceof ProducerMessage.Result<byte[], byte[], ?> single) {
      acknowledged(List.of(single.message().record()), records, predictionsTopic);
    } else if (results instanceof ProducerMessage.MultiResult<byte[], byte[], ?> multi) {
      acknowledged(multi.getParts().stream().map(ProducerMessage.MultiResultPart::record).toList(), records, predictionsTopic);
    } else {
      acknowledged(List.of(), records, predictionsTopic);
    }
  }

  /** {@code outputs}, answering {@code records} input records, were acknowledged. */
  void acknowledged(List<ProducerRecord<byte[], byte[]>> outputs, int records, String predictionsTopic) {
    outputsAcknowledged.inc(records);
    predictions.inc(outputs.stream().filter(output -> output.topic().equals(predictionsTopic)).count());
  }

  private Histogram histogram(String name, String help, double[] bounds) {
    return Histogram.builder().name(name).help(help).classicUpperBounds(bounds).classicOnly().register(registry);
  }

  private void reportLag(GaugeWithCallback.Callback cb) {
    Map<MetricName, Metric> metrics;
    try {
      metrics = consumerMetrics.get().get().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // No consumer yet, or it is restarting: report no lag rather than fail the scrape.
      return;
    }
    metrics.forEach((name, metric) -> {
      if ("records-lag".equals(name.name()) && name.tags().containsKey("partition") && metric.metricValue() instanceof Double lag
          && !lag.isNaN()) {
        cb.call(lag, name.tags().get("topic"), name.tags().get("partition"));
      }
    });
  }
}
