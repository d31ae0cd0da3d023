package catdog.streaming.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {
  private static final InferenceSettings SETTINGS = InferenceSettings.defaults().withBatchCapacity(4);

  @Test
  void shouldScoreBatchesOfOneAndSevenWithTheSeedShapedNetwork() {
    try (OnnxModel model = loaded(TestModels.seedShaped("catdog", "seed-1", 42))) {
      assertThat(model.info().id()).isEqualTo("catdog@seed-1");
      assertThat(model.info().preprocessing()).isEqualTo(TestModels.SEED_INPUT);
      for (int n : new int[] {1, 7}) {
        float[][] p = scored(model.run(randomImages(n, model.info().preprocessing().tensorSize()), n));
        assertThat(p).hasNumberOfRows(n);
        for (float[] row : p) {
          assertThat(row).hasSize(2);
          assertThat(row[0] + row[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void shouldScoreTheSameImageTheSameWayInAnyBatchPosition() {
    try (OnnxModel model = loaded(TestModels.tiny("tiny", "v1"))) {
      int size = model.info().preprocessing().tensorSize();
      float[] batch = randomImages(3, size);
      float[][] three = scored(model.run(batch, 3));
      float[][] one = scored(model.run(java.util.Arrays.copyOfRange(batch, 2 * size, 3 * size), 1));
      assertThat(one[0]).containsExactly(three[2], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void shouldGrowItsInputBuffersForABatchOverTheCapacity() {
    try (OnnxModel model = loaded(TestModels.tiny("tiny", "v1"))) {
      int n = SETTINGS.batchCapacity() * 3;
      assertThat(scored(model.run(randomImages(n, model.info().preprocessing().tensorSize()), n))).hasNumberOfRows(n);
    }
  }

  @Test
  void shouldWarmUpAndLoadFromAFile(@TempDir Path dir) {
    Path file = TestModels.write(dir, "tiny.onnx", TestModels.tiny("tiny", "file"));
    OnnxModel.LoadResult result = OnnxModel.load(file, SETTINGS);
    assertThat(result).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
    try (OnnxModel model = ((OnnxModel.LoadResult.Loaded) result).model()) {
      assertThat(scored(model.warmUp())).hasNumberOfRows(SETTINGS.batchCapacity());
      assertThat(model.provider()).isEqualTo("CPU");
    }
  }

  @Test
  void shouldFallBackToTheCpuWhenCudaCannotLoad() {
    InferenceSettings cuda = SETTINGS.withProvider(InferenceSettings.Provider.CUDA, 0);
    try (OnnxModel model = loaded(TestModels.tiny("tiny", "v1"), cuda)) {
      assertThat(model.provider()).startsWith("CPU (CUDA device 0 requested but unavailable");
      assertThat(scored(model.warmUp())).hasNumberOfRows(SETTINGS.batchCapacity());
    }
  }

  @Test
  void shouldRefuseEachKindOfBadModelWithItsReason(@TempDir Path dir) {
    assertThat(refusal(TestModels.corrupt())).startsWith("not a loadable ONNX model");
    assertThat(refusal(TestModels.withoutMetadata())).contains("metadata has no catdog.name");
    assertThat(refusal(TestModels.wrongInputName("x"))).contains("inputs are [input]");
    assertThat(refusal(TestModels.wrongInputShape("x"))).contains("input 'image' has shape [N, 3, 16, 16], expected [N, 3, 8, 8]");
    assertThat(refusal(TestModels.wrongLabelCount("x"))).contains("output 'probabilities'").contains("3 labels");
    OnnxModel.LoadResult missing = OnnxModel.load(dir.resolve("absent.onnx"), SETTINGS);
    assertThat(((OnnxModel.LoadResult.Refused) missing).reason()).startsWith("cannot read");
  }

  @Test
  void shouldReportAFailedRunAsAValue() {
    try (OnnxModel model = loaded(TestModels.failingWarmUp("bad"))) {
      BatchResult result = model.warmUp();
      assertThat(result).isInstanceOf(BatchResult.Failed.class);
      assertThat(((BatchResult.Failed) result).reason()).contains("broken@bad failed a batch");
    }
  }

  @Test
  void shouldCountOpenSessionsAndCloseOnce() {
    int before = OnnxModel.openSessions();
    OnnxModel model = loaded(TestModels.tiny("tiny", "v1"));
    assertThat(OnnxModel.openSessions()).isEqualTo(before + 1);
    model.close();
    model.close();
    assertThat(OnnxModel.openSessions()).isEqualTo(before);
    assertThat(model.run(new float[192], 1)).isInstanceOf(BatchResult.Failed.class);
    assertThrows(IllegalArgumentException.class, () -> model.run(new float[10], 1));
  }

  @Test
  void shouldLeaveNoSessionOpenAfterARefusal() {
    int before = OnnxModel.openSessions();
    refusal(TestModels.wrongLabelCount("x"));
    assertThat(OnnxModel.openSessions()).isEqualTo(before);
  }

  private static OnnxModel loaded(byte[] onnx) {
    return loaded(onnx, SETTINGS);
  }

  private static OnnxModel loaded(byte[] onnx, InferenceSettings settings) {
    OnnxModel.LoadResult result = OnnxModel.load(onnx, settings);
    assertThat(result).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
    return ((OnnxModel.LoadResult.Loaded) result).model();
  }

  private static String refusal(byte[] onnx) {
    OnnxModel.LoadResult result = OnnxModel.load(onnx, SETTINGS);
    assertThat(result).isInstanceOf(OnnxModel.LoadResult.Refused.class);
    return ((OnnxModel.LoadResult.Refused) result).reason();
  }

  private static float[][] scored(BatchResult result) {
    assertThat(result).isInstanceOf(BatchResult.Scored.class);
    return ((BatchResult.Scored) result).probabilities();
  }

  static float[] randomImages(int n, int size) {
    Random random = new Random(n);
    float[] out = new float[n * size];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextFloat();
    }
    return out;
  }
}
