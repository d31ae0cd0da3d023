package catdog.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.cli.Run;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  private static final String LAST_LINE =
      "demo: 40/40 predicted, accuracy \\d+\\.\\d%, p50 \\d+ ms, p99 \\d+ ms, model catdog-test@1";

  @Test
  void shouldClassifyEverySampleTwiceInARowWithNoLeftovers(@TempDir Path dir) {
    Path model = TestModels.write(dir, "seed.onnx", TestModels.seedShaped("catdog-test", "1", 7));

    for (int round = 1; round <= 2; round++) {
      Run demo = Run.of("demo", "--model", model.toString(), "--rate", "0");

      assertThat(demo.exitCode()).as("round %d: %s%s", round, demo.out(), demo.err()).isZero();
      assertThat(demo.lines()).filteredOn(l -> l.contains("catdog-test@1") && l.endsWith("ms") || l.contains("(wrong"))
          .hasSize(40);
      assertThat(demo.lines().get(demo.lines().size() - 1)).matches(LAST_LINE);
    }
  }

  @Test
  void shouldExitNonZeroWhenTheModelIsMissing(@TempDir Path dir) {
    Run demo = Run.of("demo", "--model", dir.resolve("none.onnx").toString(), "--timeout", "5s");

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err()).contains("none.onnx");
  }
}
