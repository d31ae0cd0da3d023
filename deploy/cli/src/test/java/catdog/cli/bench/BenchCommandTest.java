package catdog.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.cli.Run;
import catdog.cli.SampleImages;
import catdog.streaming.testing.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  private static final List<String> KEYS = List.of("decode_1t_200px", "decode_all_200px", "decode_1t_full", "decode_all_full",
      "infer_b1", "infer_b8", "infer_b32", "infer_b128", "infer_b256", "infer_best", "e2e", "naive", "cpu_bound",
      "ratio_e2e_over_bound", "speedup_vs_naive", "batching_speedup", "pipeline", "ratio_pipeline_over_bound",
      "ratio_e2e_over_pipeline");

  @Test
  void shouldWriteEveryFigurePositiveAndConsistent(@TempDir Path dir) throws IOException {
    Path model = TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog-test", "1", 3));
    Path small = SampleImages.write(dir.resolve("small"), 10);
    Path json = dir.resolve("bench.json");

    Run run = Run.of("bench", "--quick", "--model", model.toString(), "--images", small.toString(), "--json", json.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    for (String key : KEYS) {
      assertThat(figures.has(key)).as(key).isTrue();
      assertThat(figures.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(figures.get("ratio_e2e_over_bound").asDouble()).isLessThanOrEqualTo(1.2);
    double bound = 1 / (1 / figures.get("decode_all_full").asDouble() + 1 / figures.get("infer_best").asDouble());
    assertThat(figures.get("cpu_bound").asDouble()).isCloseTo(bound, org.assertj.core.data.Offset.offset(1e-6 * bound));
    assertThat(figures.get("ratio_pipeline_over_bound").asDouble())
        .isCloseTo(figures.get("pipeline").asDouble() / bound, org.assertj.core.data.Offset.offset(1e-9));
    // Every figure's measurements are in the report, and the figure is their median.
    JsonNode measured = figures.get("context").get("measurements");
    for (String key : List.of("decode_all_full", "infer_b8", "pipeline", "e2e", "naive")) {
      List<Double> values = new java.util.ArrayList<>();
      measured.get(key).forEach(v -> values.add(v.asDouble()));
      assertThat(values).as(key).isNotEmpty();
      assertThat(figures.get(key).asDouble()).as(key).isEqualTo(values.stream().sorted().toList().get((values.size() - 1) / 2));
    }
    assertThat(measured.get("infer_b8")).hasSize(3);
    // One fraction per timed round of how many events were answered when its producer finished.
    JsonNode published = figures.get("context").get("e2e_answered_when_published");
    assertThat(published).hasSize(measured.get("e2e").size());
    published.forEach(f -> assertThat(f.asDouble()).isBetween(0.0, 1.0));
    assertThat(run.out()).contains("ratio_e2e_over_bound");
  }
}
