package catdog.cli.loadtest;

import catdog.cli.matching.MatchReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One load-test run at one offered rate.
 *
 * @param offeredRate events per second scheduled
 * @param seconds how long events were scheduled for
 * @param sent events the broker acknowledged
 * @param achievedRate answers per second, from the first scheduled send until the last answer
 * @param report what came back
 * @param timeline answers and latency per second
 */
record RunResult(double offeredRate, double seconds, long sent, double achievedRate, MatchReport report, Timeline timeline) {

  /**
   * Answers per second while the events were still being sent, leaving out the first second (the service
   * catching up from idle) and the drain after the last send, when no producer competes for the CPU. Under
   * overload it is the rate the service sustains beside an open-loop producer. Whole seconds only, so at
   * least 3 s of sending are needed.
   */
  double sustainedRate() {
    long to = (long) Math.floor(seconds);
    if (to < 3) {
      throw new IllegalStateException("a sustained rate needs at least 3 s of sending, had " + seconds);
    }
    return timeline.answersPerSecond(1, to);
  }

  long p99() {
    return report.percentileMs(99);
  }

  /** Every event answered, none dead-lettered, and the service kept up with the offered rate (within 10%). */
  boolean sustained() {
    return report.unanswered() == 0 && achievedRate >= 0.9 * offeredRate;
  }

  String describe() {
    return String.format(Locale.ROOT,
        "offered %.1f/s, achieved %.1f/s, sent %d, predicted %d, dead letters %d, unanswered %d, accuracy %s, "
            + "latency p50 %d ms, p90 %d, p99 %d, p99.9 %d, max %d (p99 up to the prediction %d, after it %d)",
        offeredRate, achievedRate, sent, report.predicted(), report.deadLettered(), report.unanswered(),
        report.accuracyText(), report.percentileMs(50), report.percentileMs(90), report.percentileMs(99),
        report.percentileMs(99.9), report.latency().getMaxValue(), MatchReport.percentileMs(report.toPrediction(), 99),
        MatchReport.percentileMs(report.afterPrediction(), 99));
  }

  Map<String, Object> toJson() {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", report.percentileMs(50));
    latency.put("p90", report.percentileMs(90));
    latency.put("p99", report.percentileMs(99));
    latency.put("p99_9", report.percentileMs(99.9));
    latency.put("max", report.latency().getMaxValue());
    latency.put("mean", report.latency().getTotalCount() == 0 ? 0 : report.latency().getMean());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("offered_rate", offeredRate);
    json.put("achieved_rate", achievedRate);
    json.put("duration_s", seconds);
    json.put("sent", sent);
    json.put("predicted", report.predicted());
    json.put("dead_letters", report.deadLettered());
    json.put("unanswered", report.unanswered());
    json.put("duplicates", report.duplicates());
    json.put("accuracy", report.accuracy().isPresent() ? report.accuracy().getAsDouble() : null);
    json.put("latency_ms", latency);
    // Where the time went, for the predictions: up to the service's predicted_at, and from there to receipt.
    Map<String, Object> halves = new LinkedHashMap<>();
    halves.put("to_prediction", split(report.toPrediction()));
    halves.put("after_prediction", split(report.afterPrediction()));
    json.put("latency_split_ms", halves);
    json.put("models", report.models());
    json.put("sustained", sustained());
    json.put("timeline", timeline.points());
    return json;
  }

  private static Map<String, Object> split(Histogram histogram) {
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("p50", MatchReport.percentileMs(histogram, 50));
    split.put("p99", MatchReport.percentileMs(histogram, 99));
    split.put("max", histogram.getMaxValue());
    return split;
  }

  static List<Map<String, Object>> toJson(List<RunResult> runs) {
    return runs.stream().map(RunResult::toJson).toList();
  }
}
