package catdog.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catdog.broker.SharedBroker;
import catdog.streaming.support.ChildService;
import catdog.streaming.support.ServiceFixture;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Main} as an operator runs it: a line once serving, exit 0 after SIGTERM, exit 2 with the reason when it cannot start. */
class MainTest {
  @TempDir Path dir;

  @Test
  void shouldAnnounceItselfAndExitCleanlyOnSigterm() {
    ServiceFixture fx = ServiceFixture.create(SharedBroker.get(), TestModels.write(dir, "tiny.onnx", TestModels.tiny("catdog", "m1")));
    try (ChildService service = ChildService.start("main-ok", fx.config(Map.of()))) {
      assertThat(service.modelId()).isEqualTo("catdog@m1");
      assertThat(service.httpPort()).isPositive();
      assertThat(service.terminate(Duration.ofSeconds(40))).isIn(0, 143);
      assertThat(service.log()).contains("catdog draining");
    }
  }

  @Test
  void shouldExitWithCode2NamingTheProblemWhenItCannotStart() {
    ServiceFixture fx = ServiceFixture.create(SharedBroker.get(), dir.resolve("absent.onnx"));
    assertThatThrownBy(() -> ChildService.start("main-bad", fx.config(Map.of())))
        .hasMessageContaining("exit 2")
        .hasMessageContaining("catdog: cannot serve model")
        .hasMessageContaining("absent.onnx");
  }
}
