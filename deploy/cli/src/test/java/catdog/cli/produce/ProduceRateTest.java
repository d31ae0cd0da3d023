package catdog.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.broker.SharedBroker;
import catdog.cli.Run;
import catdog.cli.SampleImages;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceRateTest {
  private static final Pattern SUMMARY = Pattern.compile("produced (\\d+) records, .* in ([\\d.]+) s: ([\\d.]+) records/s");

  @Test
  void shouldHoldTheRequestedRateWithinTenPercent(@TempDir Path dir) {
    SampleImages.write(dir, 2);
    String topic = SharedBroker.unique("images");

    Run run = Run.of("produce", "-b", SharedBroker.get().bootstrapServers(), "--images", dir.toString(),
        "--topic", topic, "--rate", "40", "--duration", "5s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Matcher m = SUMMARY.matcher(run.out());
    assertThat(m.find()).as(run.out()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isBetween(180L, 220L);
    assertThat(Double.parseDouble(m.group(3))).isBetween(36.0, 44.0);
  }
}
