package catdog.cli.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The load test's PNGs: latency against offered rate for a sweep, and throughput and latency over time. */
final class Plots {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private Plots() {}

  /** p50 and p99 against offered rate, with the SLO as a flat line when there is one. */
  static Path sweep(Path dir, List<RunResult> runs, OptionalLong sloP99) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("End-to-end latency against offered rate")
        .xAxisTitle("offered rate (images/s)").yAxisTitle("latency (ms)").build();
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    double[] rates = runs.stream().mapToDouble(RunResult::offeredRate).toArray();
    chart.addSeries("p50", rates, runs.stream().mapToDouble(r -> r.report().percentileMs(50)).toArray());
    chart.addSeries("p99", rates, runs.stream().mapToDouble(r -> r.report().percentileMs(99)).toArray());
    if (sloP99.isPresent() && rates.length > 0) {
      double slo = sloP99.getAsLong();
      chart.addSeries("SLO p99", new double[] {rates[0], rates[rates.length - 1]}, new double[] {slo, slo});
    }
    return save(chart, dir.resolve("sweep.png"));
  }

  /** Answers per second and their p99 latency, second by second. */
  static Path timeline(Path file, RunResult run) {
    List<Map<String, Object>> points = run.timeline().points();
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(String.format("Throughput and latency over time at %.0f images/s offered", run.offeredRate()))
        .xAxisTitle("time (s)").yAxisTitle("answers per second").build();
    if (points.isEmpty()) {
      return save(chart, file);
    }
    double[] t = points.stream().mapToDouble(p -> ((Number) p.get("t")).doubleValue()).toArray();
    chart.addSeries("answers/s", t, points.stream().mapToDouble(p -> ((Number) p.get("answered")).doubleValue()).toArray());
    XYSeries p99 = chart.addSeries("p99 latency (ms)", t, points.stream().mapToDouble(p -> ((Number) p.get("p99_ms")).doubleValue()).toArray());
    p99.setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "latency (ms)");
    return save(chart, file);
  }

  private static Path save(XYChart chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
