package catdog.cli.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Answers per second of a run, by second of receipt since the run started, with their latency. */
final class Timeline {
  private final long startMs;
  private final TreeMap<Long, Histogram> seconds = new TreeMap<>();

  Timeline(long startMs) {
    this.startMs = startMs;
  }

  synchronized void record(long receivedAtMs, long latencyMs) {
    long second = Math.max(0, (receivedAtMs - startMs) / 1000);
    seconds.computeIfAbsent(second, s -> new Histogram(3_600_000L, 2)).recordValue(Math.min(latencyMs, 3_600_000L));
  }

  /**
   * Answers per second over whole seconds [from, to): the rate while something else held, e.g. while the
   * producer was still sending. Empty seconds count as zero.
   */
  synchronized double answersPerSecond(long from, long to) {
    if (to <= from) {
      throw new IllegalArgumentException("an empty window of seconds: [" + from + ", " + to + ")");
    }
    long answered = 0;
    for (Histogram h : seconds.subMap(from, to).values()) {
      answered += h.getTotalCount();
    }
    return (double) answered / (to - from);
  }

  /** One point per second: t (s), answered, p50 and p99 latency (ms). */
  synchronized List<Map<String, Object>> points() {
    List<Map<String, Object>> points = new ArrayList<>();
    seconds.forEach((second, h) -> {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("t", second);
      point.put("answered", h.getTotalCount());
      point.put("p50_ms", h.getValueAtPercentile(50));
      point.put("p99_ms", h.getValueAtPercentile(99));
      points.add(point);
    });
    return points;
  }
}
