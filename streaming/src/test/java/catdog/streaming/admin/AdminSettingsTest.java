package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {
  @Test
  void shouldReadTheDefaultsFromReferenceConf() {
    AdminSettings s = AdminSettings.fromConfig(ConfigFactory.defaultReference().resolve().getConfig("catdog.admin"));
    assertThat(s.token()).isEmpty();
    assertThat(s.maxUploadBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(s.followModelsTopic()).isTrue();
    assertThat(s.gates()).isEqualTo(new AdminSettings.Gates(Optional.empty(), 0.02, 1, Duration.ZERO));
    assertThat(s.probation()).isEqualTo(new AdminSettings.Probation(0, 0.05, Duration.ZERO));
  }

  @Test
  void shouldNeverShowTheToken() {
    AdminSettings s = AdminSettings.fromConfig(ConfigFactory.parseString("catdog.admin.token = hunter2")
        .withFallback(ConfigFactory.defaultReference()).resolve().getConfig("catdog.admin"));
    assertThat(s.token()).isEqualTo("hunter2");
    assertThat(s.toString()).doesNotContain("hunter2").contains("****");
  }
}
