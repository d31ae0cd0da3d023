package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessed;
import catdog.trainer.model.ModelSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DJL's forward and ONNX Runtime on the exported model give the same probabilities, for every model type. */
class OnnxExporterParityTest {
  private static final String[] PHOTOS = {"cat.1004.jpg", "dog.10034.jpg", "cat.1006.jpg", "dog.10135.jpg",
      "cat.10058.jpg", "dog.10192.jpg", "cat.10100.jpg"};

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"catdog-seed", "catdog", "catdog-slim", "catdog-thin", "catdog-mini", "catdog-thin-s2", "catdog-mini-s2", "catdog-mini-s4", "catdog-96", "catdog-mid", "catdog-lite", "lenet-classic", "lenet"})
  void shouldMatchDjlOnRandomTensorsAndRealImages(String name) throws Exception {
    ModelSpec spec = ModelSpec.require(name);
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock block = Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 11);
      ModelProto model = OnnxExporter.export(block, spec, Provenance.now("test tensors", OptionalDouble.of(0.5), 1));
      OnnxChecker.assertValid(model, dir);

      Random random = new Random(11);
      boolean noiseInformative = false;
      boolean imagesInformative = false;
      for (int n : new int[] {1, 7}) {
        float[] noise = new float[n * size(spec)];
        for (int i = 0; i < noise.length; i++) {
          // A quarter of a normalised photo's spread: at full spread randomly initialised catdog-thin saturates its
          // softmax on all 7 images, and the probability check below would prove nothing.
          noise[i] = (float) random.nextGaussian() * 0.25f;
        }
        noiseInformative |= assertParity(manager, block, spec, model, noise, n, "random batch of " + n);
        float[] images = images(spec, n);
        imagesInformative |= assertParity(manager, block, spec, model, images, n, "images batch of " + n);
      }
      // A softmax saturated (all 0 and 1) on every input would make the probability checks trivially pass. Asked of
      // each kind of input over both batches: a random net can saturate on a single photo (catdog-mini on the first).
      assertThat(noiseInformative).as("%s random: some probability away from 0 and 1", spec).isTrue();
      assertThat(imagesInformative).as("%s images: some probability away from 0 and 1", spec).isTrue();
    }
  }

  /** Asserts DJL, ONNX Runtime and the service agree on {@code input}; true if some probability is away from 0 and 1. */
  private boolean assertParity(NDManager manager, SequentialBlock block, ModelSpec spec, ModelProto model, float[] input, int n,
      String what) throws Exception {
    long[] shape = {n, spec.inputShape().get(1), spec.inputShape().get(2), spec.inputShape().get(3)};
    float[] logits = Trained.forward(manager, block, input, shape);
    float[] djl = Trained.softmaxRows(manager, logits, n);

    Map<String, Ort.Output> ort = Ort.run(model, input, shape);
    assertThat(ort.get("probabilities").shape()).containsExactly(n, spec.classes());
    float[] onnx = ort.get("probabilities").values();
    assertThat(Trained.maxAbsDiff(djl, onnx)).as("%s %s: probabilities", spec, what).isLessThanOrEqualTo(1e-5f);
    assertThat(Trained.argmaxRows(onnx, n)).as("%s %s: argmax", spec, what).containsExactly(Trained.argmaxRows(djl, n));
    // float32 sums over thousands of terms in a different order: compare logits relative to their size.
    assertThat(Trained.maxAbsDiff(logits, ort.get("logits").values())).as("%s %s: logits", spec, what)
        .isLessThanOrEqualTo(Math.max(1e-5f, 1e-5f * Trained.maxAbs(logits)));
    boolean informative = false;
    for (float p : djl) {
      informative |= p > 0.02f && p < 0.98f;
    }

    // What the service runs: the same bytes through its loader and batch runner.
    OnnxModel.LoadResult loaded = OnnxModel.load(model.toByteArray(), InferenceSettings.defaults());
    assertThat(loaded).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
    try (OnnxModel served = ((OnnxModel.LoadResult.Loaded) loaded).model()) {
      assertThat(served.info().preprocessing()).isEqualTo(spec.preprocessing());
      BatchResult result = served.run(input, n);
      assertThat(result).isInstanceOf(BatchResult.Scored.class);
      float[][] rows = ((BatchResult.Scored) result).probabilities();
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < spec.classes(); c++) {
          assertThat(Math.abs(rows[i][c] - djl[i * spec.classes() + c])).as("%s %s: served", spec, what).isLessThanOrEqualTo(1e-5f);
        }
      }
    }
    return informative;
  }

  /** {@code n} real images through the service's preprocessing: cat/dog photos, or generated 28×28 drawings. */
  private static float[] images(ModelSpec spec, int n) throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(spec.preprocessing(), ImageLimits.defaults());
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      encoded.add(spec.preprocessing().channels() == 3 ? photo(PHOTOS[i]) : drawing(i));
    }
    float[] out = new float[n * size(spec)];
    for (int i = 0; i < n; i++) {
      Preprocessed p = pre.apply(encoded.get(i));
      assertThat(p).isInstanceOf(Preprocessed.Ready.class);
      float[] chw = ((Preprocessed.Ready) p).tensor();
      System.arraycopy(chw, 0, out, i * size(spec), size(spec));
    }
    return out;
  }

  private static byte[] photo(String name) throws Exception {
    try (InputStream in = OnnxExporterParityTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** A 28×28 grey drawing in the spirit of Fashion-MNIST: a light garment-like shape on black. */
  private static byte[] drawing(int variant) throws Exception {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(200 - 10 * variant, 200 - 10 * variant, 200 - 10 * variant));
    g.fillRect(6 + variant % 3, 4, 16 - variant, 20);
    g.fillOval(2, 4 + variant, 8, 8);
    g.fillOval(18, 4 + variant, 8, 8);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    return png.toByteArray();
  }

  private static int size(ModelSpec spec) {
    return (int) spec.inputShape().size();
  }
}
