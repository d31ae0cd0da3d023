package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TurboJpegTest {
  private static final int OUT = 128;

  @Test
  void shouldLoadTheSystemLibraryWhereCiInstallsIt() {
    assertThat(TurboJpeg.available()).as("libturbojpeg0 is installed by .ci/run").isTrue();
  }

  @Test
  void shouldDecodeTheSamePixelsAsOpenCvAtEveryReduction() throws IOException {
    List<byte[]> jpegs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("../deploy/samples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
        jpegs.add(Files.readAllBytes(f));
      }
    }
    assertThat(jpegs).hasSizeGreaterThan(10);
    // Photo-like sizes for each DCT reduction, odd ones for the rounding, and a greyscale JPEG.
    for (int[] size : new int[][] {{450, 375}, {333, 517}, {1500, 1001}, {2100, 1100}, {129, 200}}) {
      jpegs.add(texture(size[0], size[1], BufferedImage.TYPE_3BYTE_BGR));
    }
    jpegs.add(texture(460, 300, BufferedImage.TYPE_BYTE_GRAY));

    List<Integer> reductions = new ArrayList<>();
    for (byte[] jpeg : jpegs) {
      Dimension size = FastJpeg.size(jpeg).orElseThrow();
      int k = FastJpeg.reduction(size.width, size.height, OUT, OUT);
      reductions.add(k);
      byte[] opencv = new byte[OUT * OUT * 3];
      byte[] turbo = new byte[OUT * OUT * 3];
      assertThat(FastJpeg.decodeResized(jpeg, k, OUT, OUT, opencv)).isTrue();
      assertThat(TurboJpeg.decodeResized(jpeg, size.width, size.height, k, OUT, OUT, turbo)).isTrue();
      assertThat(turbo).as("%dx%d at 1/%d", size.width, size.height, k).isEqualTo(opencv);
    }
    assertThat(reductions).contains(1, 2, 4, 8);
  }

  @Test
  void shouldRefuseBytesItCannotDecode() throws IOException {
    byte[] out = new byte[OUT * OUT * 3];
    byte[] jpeg = texture(300, 200, BufferedImage.TYPE_3BYTE_BGR);
    byte[] noTables = withoutTables(jpeg);
    assertThat(TurboJpeg.decodeResized(noTables, 300, 200, 2, OUT, OUT, out)).isFalse();
    assertThat(TurboJpeg.decodeResized(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}, 300, 200, 1, OUT, OUT, out)).isFalse();
    assertThat(TurboJpeg.decodeResized(jpeg, 300, 200, 2, OUT, OUT, out)).as("the intact image").isTrue();
  }

  @Test
  void shouldNotLendOneImagesTablesToTheNext() throws IOException {
    ImagePreprocessor preprocessor = new ImagePreprocessor(Preprocessing.unitRgb(OUT, OUT), new ImageLimits(1 << 20, 1 << 24));
    byte[] jpeg = texture(300, 200, BufferedImage.TYPE_3BYTE_BGR);
    byte[] noTables = withoutTables(jpeg);
    float[] tensor = new float[Preprocessing.unitRgb(OUT, OUT).tensorSize()];

    assertThat(preprocessor.preprocessInto(jpeg, tensor)).isInstanceOf(Preprocessed.Ready.class);
    assertThat(preprocessor.preprocessInto(noTables, tensor)).isInstanceOfSatisfying(Preprocessed.Refused.class,
        refused -> assertThat(refused.kind()).isEqualTo(Preprocessed.Kind.UNDECODABLE_IMAGE));
  }

  /** {@code jpeg} with its quantisation tables turned into a comment: a scan without tables cannot be decoded. */
  private static byte[] withoutTables(byte[] jpeg) {
    byte[] copy = jpeg.clone();
    for (int i = 2; i + 1 < copy.length; i++) {
      if (copy[i] == (byte) 0xFF && copy[i + 1] == (byte) 0xDB) {
        copy[i + 1] = (byte) 0xFE;
        return copy;
      }
    }
    throw new AssertionError("no quantisation table marker");
  }

  private static byte[] texture(int w, int h, int type) throws IOException {
    BufferedImage image = new BufferedImage(w, h, type);
    Random random = new Random(w * 31L + h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | random.nextInt(256));
      }
    }
    return ImagePreprocessorTest.encode(image, "jpg");
  }
}
