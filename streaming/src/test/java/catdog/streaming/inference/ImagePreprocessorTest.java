package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  private final ImagePreprocessor unit = new ImagePreprocessor(Preprocessing.unitRgb(2, 2), ImageLimits.defaults());

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Test
  void shouldScaleChannelsInRgbPlaneOrder() throws IOException {
    Preprocessed result = unit.apply(encode(solid(4, 4, 0xFF8000), "png"));
    assertThat(result).isInstanceOf(Preprocessed.Ready.class);
    float[] t = ((Preprocessed.Ready) result).tensor();
    assertThat(t).hasSize(12);
    assertThat(Arrays.copyOfRange(t, 0, 4)).containsOnly(1f);
    assertThat(Arrays.copyOfRange(t, 4, 8)).containsOnly(128f / 255f);
    assertThat(Arrays.copyOfRange(t, 8, 12)).containsOnly(0f);
  }

  @Test
  void shouldResizeWithHalfPixelCentres() throws IOException {
    // A 4x1 ramp 0,100,200,250 halved to 2x1 samples at x=0.5 and x=2.5: 50 and 225.
    BufferedImage ramp = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
    int[] values = {0, 100, 200, 250};
    for (int x = 0; x < 4; x++) {
      ramp.setRGB(x, 0, values[x] << 16);
    }
    ImagePreprocessor p = new ImagePreprocessor(
        new Preprocessing(3, 1, 2, Preprocessing.ColorOrder.RGB, 1f, new float[3], new float[] {1, 1, 1}, Preprocessing.Resize.BILINEAR),
        ImageLimits.defaults());
    float[] t = ((Preprocessed.Ready) p.apply(encode(ramp, "png"))).tensor();
    assertThat(t[0]).isCloseTo(50f, within(1e-4f));
    assertThat(t[1]).isCloseTo(225f, within(1e-4f));
  }

  @Test
  void shouldNormaliseWithMeanAndStd() throws IOException {
    ImagePreprocessor p = new ImagePreprocessor(
        new Preprocessing(1, 1, 1, Preprocessing.ColorOrder.GRAY, 1f / 255f, new float[] {0.5f}, new float[] {0.25f}, Preprocessing.Resize.BILINEAR),
        ImageLimits.defaults());
    float[] t = ((Preprocessed.Ready) p.apply(encode(solid(3, 3, 0xFFFFFF), "png"))).tensor();
    assertThat(t[0]).isCloseTo(2f, within(1e-5f));
  }

  @Test
  void shouldGiveTheSameTensorFromBgrBytesAsFromAnyOtherLayout() {
    // The BGR fast path and the general per-pixel path must agree to the bit, or training (which may see
    // other layouts) and serving would drift apart.
    BufferedImage bgr = new BufferedImage(37, 23, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage argb = new BufferedImage(37, 23, BufferedImage.TYPE_INT_ARGB);
    java.util.Random random = new java.util.Random(3);
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        int rgb = random.nextInt(0x1000000);
        bgr.setRGB(x, y, rgb);
        argb.setRGB(x, y, 0xFF000000 | rgb);
      }
    }
    ImagePreprocessor p = new ImagePreprocessor(new Preprocessing(3, 16, 11, Preprocessing.ColorOrder.RGB, 1f / 255f,
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, Preprocessing.Resize.BILINEAR), ImageLimits.defaults());
    float[] fast = new float[p.preprocessing().tensorSize()];
    float[] general = new float[p.preprocessing().tensorSize()];
    p.writeTensor(bgr, fast, 0);
    p.writeTensor(argb, general, 0);
    assertThat(fast).containsExactly(general);
  }

  @Test
  void shouldRefuseEachKindOfBadImage() throws IOException {
    byte[] jpeg = encode(solid(64, 64, 0x336699), "jpg");
    assertThat(refusal(new byte[0])).isEqualTo(Preprocessed.Kind.EMPTY_IMAGE);
    assertThat(refusal("just some text, not an image".getBytes(StandardCharsets.UTF_8))).isEqualTo(Preprocessed.Kind.UNSUPPORTED_FORMAT);
    assertThat(refusal(Arrays.copyOf(jpeg, jpeg.length / 2))).isEqualTo(Preprocessed.Kind.UNDECODABLE_IMAGE);
    ImagePreprocessor small = new ImagePreprocessor(Preprocessing.unitRgb(2, 2), new ImageLimits(100, 1000));
    assertThat(((Preprocessed.Refused) small.apply(jpeg)).kind()).isEqualTo(Preprocessed.Kind.TOO_MANY_BYTES);
  }

  @Test
  void shouldRefuseDecompressionBombFromHeaderAlone() {
    Preprocessed result = unit.apply(pngHeaderClaiming(30000, 30000));
    assertThat(result).isInstanceOf(Preprocessed.Refused.class);
    Preprocessed.Refused refused = (Preprocessed.Refused) result;
    assertThat(refused.kind()).isEqualTo(Preprocessed.Kind.TOO_MANY_PIXELS);
    assertThat(refused.reason()).contains("30000x30000");
  }

  @Test
  void shouldRefuseAJpegBombFromItsFrameHeaderAlone() {
    Preprocessed result = unit.apply(jpegHeaderClaiming(30000, 20000));
    assertThat(result).isInstanceOf(Preprocessed.Refused.class);
    assertThat(((Preprocessed.Refused) result).kind()).isEqualTo(Preprocessed.Kind.TOO_MANY_PIXELS);
    assertThat(((Preprocessed.Refused) result).reason()).contains("30000x20000");
  }

  @Test
  void shouldGiveTheServiceTheTensorOfDecodeThenWriteTensor() throws IOException {
    ImagePreprocessor p = new ImagePreprocessor(Preprocessing.unitRgb(128, 128), ImageLimits.defaults());
    java.util.Random random = new java.util.Random(3);
    BufferedImage photo = new BufferedImage(450, 375, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 375; y++) {
      for (int x = 0; x < 450; x++) {
        photo.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    byte[] jpeg = encode(photo, "jpg");
    float[] viaImage = new float[p.preprocessing().tensorSize()];
    p.writeTensor(((ImagePreprocessor.Decoded.Image) p.decode(jpeg)).image(), viaImage, 0);
    float[] direct = new float[p.preprocessing().tensorSize()];
    assertThat(p.preprocessInto(jpeg, direct)).isInstanceOf(Preprocessed.Ready.class);
    assertThat(direct).containsExactly(viaImage);
  }

  @Test
  void shouldWriteStraightIntoABatchAtTheGivenOffsetAndNowhereElse() throws IOException {
    // The service decodes each image of a batch into its slot of the batch's input: JPEG (the native path)
    // and PNG (through a BufferedImage) alike.
    ImagePreprocessor p = new ImagePreprocessor(Preprocessing.unitRgb(16, 16), ImageLimits.defaults());
    int size = p.preprocessing().tensorSize();
    byte[][] images = {encode(solid(40, 30, 0x336699), "jpg"), encode(solid(30, 40, 0xCC2211), "png")};
    float[] batch = new float[3 * size];
    Arrays.fill(batch, -7f);
    for (int i = 0; i < images.length; i++) {
      assertThat(p.preprocessInto(images[i], batch, (i + 1) * size)).isInstanceOf(Preprocessed.Ready.class);
    }
    assertThat(Arrays.copyOfRange(batch, 0, size)).containsOnly(-7f);
    for (int i = 0; i < images.length; i++) {
      float[] alone = ((Preprocessed.Ready) p.apply(images[i])).tensor();
      assertThat(Arrays.copyOfRange(batch, (i + 1) * size, (i + 2) * size)).containsExactly(alone);
    }
  }

  private Preprocessed.Kind refusal(byte[] bytes) {
    Preprocessed result = unit.apply(bytes);
    assertThat(result).isInstanceOf(Preprocessed.Refused.class);
    return ((Preprocessed.Refused) result).kind();
  }

  /** A JPEG start-of-image and a baseline frame header (three components), with nothing behind them. */
  static byte[] jpegHeaderClaiming(int width, int height) {
    return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) (height >> 8), (byte) height,
        (byte) (width >> 8), (byte) width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
  }

  /** A PNG signature and a valid IHDR chunk, with no pixel data behind it. */
  static byte[] pngHeaderClaiming(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
