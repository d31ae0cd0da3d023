package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FastJpegTest {

  private static byte[] noisyJpeg(int w, int h) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | random.nextInt(256));
      }
    }
    return ImagePreprocessorTest.encode(image, "jpg");
  }

  @Test
  void shouldLoadTheNativeDecoderHere() {
    assertThat(FastJpeg.available()).isTrue();
  }

  @Test
  void shouldDecodeBitIdenticalToImageIoAtFullScale() throws IOException {
    byte[] jpeg = noisyJpeg(67, 45);
    BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg));
    BufferedImage fast = FastJpeg.decode(jpeg, 1).orElseThrow();
    assertThat(fast.getWidth()).isEqualTo(67);
    byte[] a = ((DataBufferByte) reference.getRaster().getDataBuffer()).getData();
    byte[] b = ((DataBufferByte) fast.getRaster().getDataBuffer()).getData();
    assertThat(Arrays.equals(a, b)).isTrue();
  }

  @Test
  void shouldDecodeAtReducedScale() throws IOException {
    BufferedImage half = FastJpeg.decode(noisyJpeg(400, 300), 2).orElseThrow();
    assertThat(half.getWidth()).isEqualTo(200);
    assertThat(half.getHeight()).isEqualTo(150);
  }

  @Test
  void shouldPickTheLargestReductionThatKeepsTheTargetSize() {
    assertThat(FastJpeg.reduction(200, 200, 128, 128)).isEqualTo(1);
    assertThat(FastJpeg.reduction(450, 375, 128, 128)).isEqualTo(2);
    assertThat(FastJpeg.reduction(1024, 1024, 128, 128)).isEqualTo(8);
    assertThat(FastJpeg.reduction(4000, 3000, 128, 128)).isEqualTo(8);
    assertThat(FastJpeg.reduction(1024, 200, 128, 128)).isEqualTo(1);
  }

  @Test
  void shouldSpotTruncatedJpeg() throws IOException {
    byte[] jpeg = noisyJpeg(64, 64);
    assertThat(FastJpeg.complete(jpeg)).isTrue();
    assertThat(FastJpeg.complete(Arrays.copyOf(jpeg, jpeg.length - 10))).isFalse();
    assertThat(FastJpeg.decode(new byte[] {1, 2, 3}, 1)).isEmpty();
  }
}
