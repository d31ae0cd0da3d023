package catdog.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.cli.Run;
import catdog.cli.SampleImages;
import catdog.cli.serve.LocalStack;
import catdog.streaming.testing.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadtestCommandTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @Test
  void shouldMatchEveryEventAgainstARunningClusterAndReportIt(@TempDir Path dir) throws IOException {
    Path model = TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog-test", "1"));
    Path images = SampleImages.write(dir.resolve("images"), 3);
    try (LocalStack stack = LocalStack.start(model, 3, "loadtest-test", Map.of())) {
      Run run = Run.of("loadtest", "--bootstrap", stack.kafka().bootstrapServers(), "--images", images.toString(),
          "--rate", "40", "--duration", "3s", "--run-warm-up", "1s", "--json", dir.resolve("report.json").toString(),
          "--plots", dir.resolve("plots").toString());

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).containsOnlyOnce("loadtest: warm-up at 40.0/s for 1.0 s, not counted");
    }
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    JsonNode only = report.get("runs").get(0);
    assertThat(only.get("offered_rate").asDouble()).isEqualTo(40.0);
    assertThat(only.get("sent").asLong()).isBetween(100L, 130L);
    assertThat(only.get("predicted").asLong()).isEqualTo(only.get("sent").asLong());
    assertThat(only.get("unanswered").asLong()).isZero();
    assertThat(only.get("dead_letters").asLong()).isZero();
    assertThat(only.get("accuracy").isNumber()).isTrue();
    assertThat(only.get("achieved_rate").asDouble()).isPositive();
    for (String p : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
      assertThat(only.get("latency_ms").get(p).asLong()).as(p).isPositive();
    }
    assertThat(only.get("timeline").size()).isGreaterThanOrEqualTo(3);
    // Both halves of the latency are there, and neither exceeds the whole (one ms of rounding apart).
    long whole = only.get("latency_ms").get("max").asLong();
    for (String half : new String[] {"to_prediction", "after_prediction"}) {
      JsonNode split = only.get("latency_split_ms").get(half);
      assertThat(split.get("p50").asLong()).as(half).isLessThanOrEqualTo(split.get("p99").asLong());
      assertThat(split.get("max").asLong()).as(half).isLessThanOrEqualTo(whole + 1);
    }
    assertThat(only.get("latency_split_ms").get("to_prediction").get("max").asLong()).isPositive();
    // A remote service's JIT is out of sight: one warm-up flood.
    assertThat(report.get("warm_up").get("floods").asInt()).isEqualTo(1);
    // The warm-up at the run's rate is a run of its own: none of its events is counted in the measured one.
    assertThat(report.get("warm_up").get("per_run_s").asDouble()).isEqualTo(1.0);
    assertThat(Files.readAllBytes(dir.resolve("plots/timeline.png"))).startsWith(PNG_MAGIC);
  }

  @Test
  void shouldSweepFractionsOfTheMeasuredCapacity(@TempDir Path dir) throws IOException {
    Path model = TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog-test", "1"));
    Path images = SampleImages.write(dir.resolve("images"), 3);

    Run run = Run.of("loadtest", "--model", model.toString(), "--images", images.toString(), "--sweep", "25,50",
        "--capacity-count", "300", "--warm-up-floods", "2", "--run-warm-up", "0s", "--duration", "2s", "--slo-p99", "60000",
        "--json", dir.resolve("sweep.json").toString(), "--plots", dir.resolve("plots").toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain("warm-up at");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
    double capacity = report.get("capacity").asDouble();
    assertThat(capacity).isPositive();
    // Probed while the open loop offered 1.5 times the flood's rate and then 1.1 times each probe's sustained
    // rate: answers cannot outrun the sends by much (a producer that fell behind its schedule catches up in a
    // burst, so a few seconds may see more than the rate), and the capacity is the best probe.
    JsonNode probes = report.get("capacity_probes");
    assertThat(probes.get(0).get("offered").asDouble()).isCloseTo(1.5 * report.get("flood_rate").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    for (JsonNode probe : probes) {
      assertThat(probe.get("sustained").asDouble()).isLessThan(1.5 * probe.get("offered").asDouble());
    }
    assertThat(probes.size()).isBetween(3, 6);
    double best = 0;
    for (int i = 0; i < probes.size(); i++) {
      best = Math.max(best, probes.get(i).get("sustained").asDouble());
      // Beyond the third, a probe runs only because the one before it kept up with its offer.
      if (i >= 3) {
        assertThat(probes.get(i - 1).get("sustained").asDouble()).isGreaterThanOrEqualTo(0.97 * probes.get(i - 1).get("offered").asDouble());
      }
      if (i > 0) {
        assertThat(probes.get(i).get("offered").asDouble())
            .isCloseTo(1.1 * probes.get(i - 1).get("sustained").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
    assertThat(capacity).isEqualTo(best);
    JsonNode last = probes.get(probes.size() - 1);
    assertThat(probes.size() == 6 || last.get("sustained").asDouble() < 0.97 * last.get("offered").asDouble())
        .as("the probes stop at the first that falls short of its offer, or at six").isTrue();
    assertThat(report.get("runs")).hasSize(2);
    assertThat(report.get("runs").get(0).get("offered_rate").asDouble()).isCloseTo(capacity / 4, org.assertj.core.data.Offset.offset(0.01));
    assertThat(report.get("max_sustainable_rate").asDouble()).isPositive();
    assertThat(report.get("warm_up").get("floods").asInt()).isBetween(1, 2);
    assertThat(Files.readAllBytes(dir.resolve("plots/sweep.png"))).startsWith(PNG_MAGIC);
    assertThat(dir.resolve("plots/timeline-50pct.png")).exists();
  }
}
