package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import catdog.trainer.nn.Pool2d;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's convolution chapter (padding, stride, channels, pooling) as exporter cases: each layer's ONNX
 * output equals DJL's, has the shape ⌊(n − k + p + s) / s⌋ (p the total padding of an axis), and where the
 * notes give an answer, equals it.
 */
class ConvolutionChapterTest {
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void shouldKeep8x8With3x3KernelAndPadding1() throws Exception {
    Ort.Output out = exported(conv(1, 3, 3, 1, 1, 1, 1), random(64), 1, 1, 8, 8);
    assertThat(out.shape()).containsExactly(1, 1, 8, 8).containsExactly(1, 1, size(8, 3, 2, 1), size(8, 3, 2, 1));
  }

  @Test
  void shouldKeep8x8With5x3KernelAndPadding2And1() throws Exception {
    Ort.Output out = exported(conv(1, 5, 3, 2, 1, 1, 1), random(64), 1, 1, 8, 8);
    assertThat(out.shape()).containsExactly(1, 1, size(8, 5, 4, 1), size(8, 3, 2, 1)).containsExactly(1, 1, 8, 8);
  }

  @Test
  void shouldHalve8x8WithStride2() throws Exception {
    Ort.Output out = exported(conv(1, 3, 3, 1, 1, 2, 2), random(64), 1, 1, 8, 8);
    assertThat(out.shape()).containsExactly(1, 1, size(8, 3, 2, 2), size(8, 3, 2, 2)).containsExactly(1, 1, 4, 4);
  }

  @Test
  void shouldApplyPadding0And1WithStride3And4() throws Exception {
    Ort.Output out = exported(conv(1, 3, 5, 0, 1, 3, 4), random(64), 1, 1, 8, 8);
    assertThat(out.shape()).containsExactly(1, 1, size(8, 3, 0, 3), size(8, 5, 2, 4)).containsExactly(1, 1, 2, 2);
  }

  @Test
  void shouldMix3ChannelsInto2With1x1Convolution() throws Exception {
    Conv2d conv = conv(2, 1, 1, 0, 0, 1, 1);
    float[] x = random(3 * 3 * 3);
    Ort.Output out = exported(conv, x, 1, 3, 3, 3);
    assertThat(out.shape()).containsExactly(1, 2, 3, 3);
    // A 1x1 convolution is a fully connected layer applied at every pixel: Y[o, p] = Σ_i K[o, i] · X[i, p].
    float[] k = conv.getParameters().get("weight").getArray().toFloatArray();
    for (int o = 0; o < 2; o++) {
      for (int p = 0; p < 9; p++) {
        float expected = 0;
        for (int i = 0; i < 3; i++) {
          expected += k[o * 3 + i] * x[i * 9 + p];
        }
        assertThat(out.values()[o * 9 + p]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void shouldGiveTheNotesAnswerForTwoInputChannels() throws Exception {
    float[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] k = {0, 1, 2, 3, 1, 2, 3, 4};
    Conv2d conv = conv(1, 2, 2, 0, 0, 1, 1);
    conv.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3, 3));
    conv.getParameters().get("weight").getArray().set(k);
    Ort.Output out = exported(conv, x, 1, 2, 3, 3);
    assertThat(out.shape()).containsExactly(1, 1, 2, 2);
    assertThat(out.values()).containsExactly(56, 72, 104, 120);
  }

  @Test
  void shouldGiveTheNotesAnswerForThreeOutputChannels() throws Exception {
    float[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] k = {0, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 2, 3, 4, 5, 2, 3, 4, 5, 3, 4, 5, 6}; // K, K + 1, K + 2
    Conv2d conv = conv(3, 2, 2, 0, 0, 1, 1);
    conv.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3, 3));
    conv.getParameters().get("weight").getArray().set(k);
    Ort.Output out = exported(conv, x, 1, 2, 3, 3);
    assertThat(out.values()).containsExactly(56, 72, 104, 120, 76, 100, 148, 172, 96, 128, 192, 224);
  }

  @Test
  void shouldMaxPoolWithPaddingAndStrideAsTheNotes() throws Exception {
    float[] x = new float[32];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
      x[16 + i] = i + 1; // the notes' second channel, X + 1
    }
    Ort.Output square = exported(Pool2d.max(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}), x, 1, 2, 4, 4);
    assertThat(square.shape()).containsExactly(1, 2, size(4, 3, 2, 2), size(4, 3, 2, 2));
    assertThat(square.values()).containsExactly(5, 7, 13, 15, 6, 8, 14, 16);
    Ort.Output oblong = exported(Pool2d.max(new int[] {2, 3}, new int[] {2, 3}, new int[] {0, 1}), x, 1, 2, 4, 4);
    assertThat(oblong.shape()).containsExactly(1, 2, size(4, 2, 0, 2), size(4, 3, 2, 3));
    assertThat(oblong.values()).containsExactly(5, 7, 13, 15, 6, 8, 14, 16);
    assertThat(exported(Pool2d.max(3, 3), x, 1, 2, 4, 4).values()).containsExactly(10, 11);
  }

  @Test
  void shouldAveragePoolWithPaddingCountedAndStride() throws Exception {
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
    }
    Ort.Output out = exported(Pool2d.avg(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}), x, 1, 1, 4, 4);
    assertThat(out.shape()).containsExactly(1, 1, 2, 2);
    // Window at (0,0) covers x[0..1][0..1] = 0+1+4+5 plus five padded zeros, divided by 9.
    assertThat(out.values()[0]).isEqualTo(10f / 9f);
    Ort.Output plain = exported(Pool2d.avg(2, 2), x, 1, 1, 4, 4);
    assertThat(plain.values()).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
  }

  /** ⌊(n − k + p + s) / s⌋ with p the padding of both sides together. */
  private static long size(long n, long k, long p, long s) {
    return Math.floorDiv(n - k + p + s, s);
  }

  /**
   * Exports {@code layer} (initialising it if needed), checks it with onnx.checker, runs it on ONNX
   * Runtime and asserts the output equals DJL's forward.
   */
  private Ort.Output exported(Block layer, float[] x, long... shape) throws Exception {
    Shape one = new Shape(1, shape[1], shape[2], shape[3]);
    if (!layer.isInitialized()) {
      layer.initialize(manager, DataType.FLOAT32, one);
    }
    var model = OnnxExporter.exportLayers(layer, one);
    OnnxChecker.assertValid(model, dir);
    Ort.Output out = Ort.run(model, x, shape).get("logits");
    float[] djl = Trained.forward(manager, layer, x, shape);
    assertThat(Trained.maxAbsDiff(djl, out.values())).isLessThanOrEqualTo(1e-5f);
    assertThat(out.shape()).containsExactly(layer.getOutputShapes(new Shape[] {new Shape(shape)})[0].getShape());
    return out;
  }

  private static Conv2d conv(int filters, int kh, int kw, int ph, int pw, int sh, int sw) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kh, kw)).optPadding(new Shape(ph, pw))
        .optStride(new Shape(sh, sw)).optBias(false).build();
  }

  private static float[] random(int n) {
    Random r = new Random(n);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }
}
