package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeResizeTest {
  @Test
  void shouldMatchHalfPixelBilinearWithinOneGreyLevel() {
    assertThat(NativeResize.available()).as("OpenCV loads on the build machines").isTrue();
    int w = 37;
    int h = 23;
    byte[] src = new byte[w * h * 3];
    new Random(5).nextBytes(src);
    for (int[] out : new int[][] {{16, 11}, {128, 64}, {5, 5}}) {
      byte[] resized = NativeResize.bgr(src, w, h, out[0], out[1]);
      assertThat(resized).hasSize(out[0] * out[1] * 3);
      for (int y = 0; y < out[1]; y++) {
        for (int x = 0; x < out[0]; x++) {
          for (int c = 0; c < 3; c++) {
            float expected = bilinear(src, w, h, (x + 0.5f) * w / out[0] - 0.5f, (y + 0.5f) * h / out[1] - 0.5f, c);
            int actual = resized[(y * out[0] + x) * 3 + c] & 0xFF;
            assertThat((float) actual).as("%dx%d at (%d, %d) channel %d", out[0], out[1], x, y, c).isBetween(expected - 1, expected + 1);
          }
        }
      }
    }
  }

  /** The textbook definition: clamp at the edges, weight the four neighbours. */
  private static float bilinear(byte[] src, int w, int h, float sx, float sy, int c) {
    sx = Math.max(sx, 0);
    sy = Math.max(sy, 0);
    int x0 = Math.min((int) sx, w - 1);
    int y0 = Math.min((int) sy, h - 1);
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    float fx = sx - x0;
    float fy = sy - y0;
    float top = at(src, w, x0, y0, c) * (1 - fx) + at(src, w, x1, y0, c) * fx;
    float bottom = at(src, w, x0, y1, c) * (1 - fx) + at(src, w, x1, y1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  private static int at(byte[] src, int w, int x, int y, int c) {
    return src[(y * w + x) * 3 + c] & 0xFF;
  }
}
