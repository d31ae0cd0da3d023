package catdog.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessing;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
  @TempDir
  Path dir;

  /** Writes an unsigned-byte IDX file, gzipped, as Fashion-MNIST ships it. */
  static void writeIdx(Path file, int[] dims, byte[] data, int truncateBy) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(raw);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data, 0, data.length - truncateBy);
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
      gz.write(raw.toByteArray());
    }
  }

  @Test
  void shouldParseImagesAndLabelsOfAGeneratedIdxFile() throws IOException {
    byte[] pixels = new byte[3 * 4 * 5];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 4 + 7);
    }
    writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 4, 5}, pixels, 0);
    writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {3}, new byte[] {9, 0, (byte) 200}, 0);

    IdxFile images = IdxFile.read(dir.resolve("train-images-idx3-ubyte.gz"));
    assertThat(images.dims()).containsExactly(3, 4, 5);
    assertThat(images.images()).hasSize(3);
    // Image 1, row 2, column 3 is byte 1*20 + 2*5 + 3 = 33: unsigned, so 33*4+7 = 139 is not read as negative.
    assertThat(images.images().get(1).getRaster().getSample(3, 2, 0)).isEqualTo(139);
    assertThat(IdxFile.read(dir.resolve("train-labels-idx1-ubyte.gz")).labels()).containsExactly(9, 0, 200);
  }

  @Test
  void shouldTurnIdxImagesIntoTheTensorsTheServiceWouldCompute() throws IOException {
    byte[] pixels = new byte[2 * 4 * 5];
    new Random(1).nextBytes(pixels);
    writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 4, 5}, pixels, 0);
    writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {2}, new byte[] {3, 7}, 0);

    ImageSet set = Datasets.idx(dir, "train", new ImagePreprocessor(Preprocessing.unitGray(4, 5), ImageLimits.defaults()));
    float[] tensor = new float[20];
    set.write(1, tensor, 0, Optional.empty(), new Random(0));
    float[] expected = new float[20];
    for (int i = 0; i < 20; i++) {
      expected[i] = (pixels[20 + i] & 0xFF) / 255f;
    }
    assertThat(tensor).usingComparatorWithPrecision(1e-6f).containsExactly(expected);
    assertThat(set.label(1)).isEqualTo(7);
    assertThat(set.classes()).contains("T-shirt/top", "Ankle boot");
  }

  @Test
  void shouldRefuseTruncatedOrForeignFilesWithTheirName() throws IOException {
    Path truncated = dir.resolve("t.gz");
    writeIdx(truncated, new int[] {2, 4, 5}, new byte[40], 3);
    assertThat(assertThrows(IOException.class, () -> IdxFile.read(truncated)).getMessage()).contains("t.gz", "truncated");

    Path foreign = dir.resolve("f.idx");
    Files.write(foreign, Arrays.copyOf("not an idx".getBytes(), 12));
    assertThat(assertThrows(IOException.class, () -> IdxFile.read(foreign)).getMessage()).contains("f.idx", "not an unsigned-byte IDX");
  }
}
