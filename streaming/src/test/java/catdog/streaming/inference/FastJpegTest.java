package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Dimension;
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

  @Test
  void shouldReadTheSizeFromTheFrameHeaderPastOtherSegments() throws IOException {
    byte[] jpeg = noisyJpeg(67, 45);
    assertThat(FastJpeg.size(jpeg)).contains(new Dimension(67, 45));
    // An APP1 (EXIF-like) segment and fill bytes before the frame header, as cameras write them.
    byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 6, 'E', 'x', 'i', 'f', (byte) 0xFF};
    byte[] withApp1 = new byte[jpeg.length + app1.length];
    System.arraycopy(jpeg, 0, withApp1, 0, 2);
    System.arraycopy(app1, 0, withApp1, 2, app1.length);
    System.arraycopy(jpeg, 2, withApp1, 2 + app1.length, jpeg.length - 2);
    assertThat(FastJpeg.size(withApp1)).contains(new Dimension(67, 45));
    assertThat(FastJpeg.size(ImagePreprocessorTest.jpegHeaderClaiming(30000, 20000))).contains(new Dimension(30000, 20000));
  }

  @Test
  void shouldFindNoSizeInWhatIsNotAJpegFrameHeader() throws IOException {
    byte[] jpeg = noisyJpeg(67, 45);
    assertThat(FastJpeg.size(new byte[0])).isEmpty();
    assertThat(FastJpeg.size(ImagePreprocessorTest.pngHeaderClaiming(10, 10))).isEmpty();
    assertThat(FastJpeg.size(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5, 6})).isEmpty();
    assertThat(FastJpeg.size(Arrays.copyOf(jpeg, 20))).isEmpty();
  }

  @Test
  void shouldDecodeAndResizeInNativeMemoryToTheSamePixels() throws IOException {
    byte[] jpeg = noisyJpeg(450, 375);
    BufferedImage half = FastJpeg.decode(jpeg, 2).orElseThrow();
    byte[] viaHeap = NativeResize.bgr(((DataBufferByte) half.getRaster().getDataBuffer()).getData(), half.getWidth(),
        half.getHeight(), 128, 128);
    byte[] direct = new byte[128 * 128 * 3];
    assertThat(FastJpeg.decodeResized(jpeg, 2, 128, 128, direct)).isTrue();
    assertThat(direct).containsExactly(viaHeap);
    assertThat(FastJpeg.decodeResized(new byte[] {1, 2, 3}, 1, 8, 8, new byte[8 * 8 * 3])).isFalse();
  }
}
