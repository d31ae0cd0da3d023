package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  @Test
  void shouldRoundTripThroughMetadata() {
    Preprocessing p = new Preprocessing(3, 96, 112, Preprocessing.ColorOrder.RGB, 1f / 255f,
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, Preprocessing.Resize.BILINEAR);
    assertThat(Preprocessing.fromMetadata(p.toMetadata())).isEqualTo(new Preprocessing.Parsed.Valid(p));
  }

  @Test
  void shouldNameTheMissingKey() {
    Map<String, String> m = new HashMap<>(Preprocessing.unitRgb(8, 8).toMetadata());
    m.remove(Preprocessing.STD);
    assertThat(Preprocessing.fromMetadata(m)).isEqualTo(new Preprocessing.Parsed.Invalid("metadata has no " + Preprocessing.STD));
  }

  @Test
  void shouldRefuseMalformedValues() {
    Map<String, String> m = new HashMap<>(Preprocessing.unitRgb(8, 8).toMetadata());
    m.put(Preprocessing.CHANNELS, "1");
    assertThat(Preprocessing.fromMetadata(m)).isInstanceOf(Preprocessing.Parsed.Invalid.class);
  }
}
