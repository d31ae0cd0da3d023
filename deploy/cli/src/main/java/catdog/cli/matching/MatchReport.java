package catdog.cli.matching;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * What came back for the expected events so far.
 *
 * @param expected events published and waited for
 * @param predicted events answered with a prediction
 * @param deadLettered events answered with a dead letter
 * @param duplicates answers for events already answered (at-least-once redelivery)
 * @param withKnownLabel predictions whose event carried a known label
 * @param correct of those, the ones the model got right
 * @param latency end-to-end latency of first answers, in ms
 * @param models predictions per model id (name@version)
 * @param toPrediction of predictions, from the event's produced_at_ms to the service's predicted_at_ms, in ms: the
 *     send, the broker, the service's fetch, decoding, batching and inference
 * @param afterPrediction of predictions, from predicted_at_ms to their receipt, in ms: the service's producer,
 *     the broker and the matcher's fetch. Both halves assume the service's clock agrees with this one.
 */
public record MatchReport(long expected, long predicted, long deadLettered, long duplicates, long withKnownLabel,
    long correct, Histogram latency, Map<String, Long> models, Histogram toPrediction, Histogram afterPrediction) {

  public long unanswered() {
    return expected - predicted - deadLettered;
  }

  /** Correct over predictions with a known label; empty when none had one. */
  public OptionalDouble accuracy() {
    return withKnownLabel == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) correct / withKnownLabel);
  }

  /** The latency at a percentile (0–100), in ms; 0 with no answers. */
  public long percentileMs(double percentile) {
    return percentileMs(latency, percentile);
  }

  /** The value of {@code histogram} at a percentile (0–100); 0 when it is empty. */
  public static long percentileMs(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
  }

  /** The model that made most predictions, as name@version; "none" before the first. */
  public String mainModel() {
    return models.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none");
  }

  public String accuracyText() {
    return accuracy().isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * accuracy().getAsDouble()) : "n/a";
  }
}
