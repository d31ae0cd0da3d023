package catdog.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The figures of one bench run, in order, with the derived ones computed from the measured ones. */
final class BenchReport {
  private final Map<String, Double> figures = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  void put(String key, double value, String note) {
    figures.put(key, value);
    notes.put(key, note);
  }

  double get(String key) {
    Double value = figures.get(key);
    if (value == null) {
      throw new IllegalStateException("no figure " + key + " yet");
    }
    return value;
  }

  /** cpu_bound, the ratios and the speed-ups, from the measured figures. */
  void derive() {
    double best = figures.entrySet().stream().filter(e -> e.getKey().matches("infer_b\\d+"))
        .mapToDouble(Map.Entry::getValue).max().orElseThrow();
    put("infer_best", best, "best of the batch sizes");
    double bound = 1 / (1 / get("decode_all_full") + 1 / best);
    put("cpu_bound", bound, "1 / (1/decode_all_full + 1/infer_best)");
    put("ratio_e2e_over_bound", get("e2e") / bound, "e2e / cpu_bound (target >= 0.85)");
    put("speedup_vs_naive", get("e2e") / get("naive"), "e2e / naive (target >= 3)");
    if (figures.containsKey("pipeline")) {
      put("ratio_pipeline_over_bound", get("pipeline") / bound, "pipeline / cpu_bound: what the stream itself costs");
      put("ratio_e2e_over_pipeline", get("e2e") / get("pipeline"), "e2e / pipeline: what broker and Kafka clients cost");
    }
    put("batching_speedup", best / get("infer_b1"), "infer_best / infer_b1");
  }

  void printTable(PrintWriter out) {
    out.printf("%-26s %12s  %s%n", "figure", "value", "what");
    figures.forEach((key, value) -> out.printf(Locale.ROOT, "%-26s %12s  %s%n", key, format(key, value), notes.get(key)));
    out.flush();
  }

  void writeJson(Path file, Map<String, Object> context) {
    Map<String, Object> json = new LinkedHashMap<>(figures);
    json.put("context", context);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String format(String key, double value) {
    boolean ratio = key.startsWith("ratio") || key.endsWith("speedup") || key.startsWith("speedup");
    return ratio ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.0f img/s", value);
  }
}
