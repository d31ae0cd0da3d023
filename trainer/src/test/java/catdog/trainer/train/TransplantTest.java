package catdog.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import catdog.trainer.export.OnnxExporter;
import catdog.trainer.export.Provenance;
import catdog.trainer.model.ModelSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting a network from a trained one: an exact copy at the same width, the strongest channels when narrower. */
class TransplantTest {
  private static final ModelSpec CATDOG = ModelSpec.require("catdog");

  @TempDir
  Path tmp;

  @Test
  void shouldReproduceAModelOfTheSameWidth() throws Exception {
    float[] images = randomImages(3);
    try (Network teacher = randomised(CATDOG, 1); Network student = Network.create(CATDOG, Network.Init.XAVIER)) {
      Path file = export(teacher, tmp.resolve("teacher.onnx"));
      assertThat(Transplant.apply(student.block(), file)).startsWith("17 layers").endsWith("0 of them narrower");

      float[][] expected = teacher.probabilities(images, 3);
      float[][] actual = student.probabilities(images, 3);
      for (int i = 0; i < 3; i++) {
        assertThat(actual[i]).containsExactly(expected[i], within(1e-5f));
      }
    }
  }

  @Test
  void shouldKeepTheChannelsWithTheLargestBatchNormScale() throws Exception {
    try (Network teacher = randomised(CATDOG, 2); Network student = Network.create(ModelSpec.require("catdog-slim"), Network.Init.XAVIER)) {
      assertThat(Transplant.apply(student.block(), export(teacher, tmp.resolve("teacher.onnx")))).endsWith("6 of them narrower");

      List<Parameter> t = parameters(teacher);
      List<Parameter> s = parameters(student);
      int[] keptIn = IntStream.range(0, 3).toArray();
      for (int layer = 0; layer < 8; layer++) {
        Parameter tw = t.get(layer * 5);
        float[] gamma = t.get(layer * 5 + 1).getArray().toFloatArray();
        int width = (int) s.get(layer * 5).getArray().getShape().get(0);
        int[] kept = IntStream.range(0, gamma.length).boxed().sorted(Comparator.comparingDouble(c -> -Math.abs(gamma[c])))
            .limit(width).mapToInt(Integer::intValue).sorted().toArray();
        float[] expected = gather(tw.getArray().toFloatArray(), (int) tw.getArray().getShape().get(1), 9, kept, keptIn);
        assertThat(s.get(layer * 5).getArray().toFloatArray()).as("conv %d", layer).containsExactly(expected);
        for (int k = 1; k < 5; k++) {
          assertThat(s.get(layer * 5 + k).getArray().toFloatArray()).as("batch norm %d, tensor %d", layer, k)
              .containsExactly(gather(t.get(layer * 5 + k).getArray().toFloatArray(), 1, 1, kept, new int[] {0}));
        }
        keptIn = kept;
      }
      float[] linear = t.get(40).getArray().toFloatArray();
      assertThat(s.get(40).getArray().toFloatArray()).containsExactly(gather(linear, 256, 1, new int[] {0, 1}, keptIn));
      assertThat(s.get(41).getArray().toFloatArray()).containsExactly(t.get(41).getArray().toFloatArray());
    }
  }

  @Test
  void shouldRefuseAModelWithOtherLayersOrNarrowerOnes() throws Exception {
    try (Network seed = randomised(ModelSpec.require("catdog-seed"), 3); Network slim = randomised(ModelSpec.require("catdog-slim"), 4);
        Network student = Network.create(CATDOG, Network.Init.XAVIER)) {
      Path seedFile = export(seed, tmp.resolve("seed.onnx"));
      assertThatThrownBy(() -> Transplant.apply(student.block(), seedFile)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("layers with parameters");
      Path slimFile = export(slim, tmp.resolve("slim.onnx"));
      assertThatThrownBy(() -> Transplant.apply(student.block(), slimFile)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fewer than the student's 64");
    }
  }

  @Test
  void shouldKeepWhereARunStartedInItsCheckpointHeader() {
    TrainConfig cfg = new TrainConfig(CATDOG, tmp, Optional.empty(), 0.1, 2, 8, 1e-3f, 0f, false, TrainConfig.Schedule.COSINE, 1,
        Network.Init.KAIMING, tmp.resolve("run"), Optional.empty(), Optional.of(tmp.resolve("catdog.onnx")));
    assertThat(TrainConfig.fromHeader(cfg.header(), cfg.out())).isEqualTo(cfg);
  }

  /** A network whose batch norms have random scales, shifts and statistics, so that channels differ in strength. */
  private static Network randomised(ModelSpec spec, long seed) {
    Network net = Network.create(spec, Network.Init.XAVIER);
    Random r = new Random(seed);
    for (Parameter p : parameters(net)) {
      float[] v = p.getArray().toFloatArray();
      switch (p.getType()) {
        case GAMMA, BETA, RUNNING_MEAN -> IntStream.range(0, v.length).forEach(i -> v[i] = (float) r.nextGaussian());
        case RUNNING_VAR -> IntStream.range(0, v.length).forEach(i -> v[i] = 0.5f + r.nextFloat());
        default -> IntStream.range(0, v.length).forEach(i -> v[i] += (float) (0.01 * r.nextGaussian()));
      }
      p.getArray().set(FloatBuffer.wrap(v));
    }
    return net;
  }

  private static List<Parameter> parameters(Network net) {
    return net.block().getParameters().stream().map(Pair::getValue).toList();
  }

  private static Path export(Network net, Path file) throws Exception {
    return OnnxExporter.write(OnnxExporter.export(net.block(), net.spec(), Provenance.now("random", OptionalDouble.empty(), 0)), file);
  }

  /** Rows {@code rows} of a [rows, inputs, per] tensor, each restricted to the inputs {@code columns}. */
  private static float[] gather(float[] w, int inputs, int per, int[] rows, int[] columns) {
    float[] out = new float[rows.length * columns.length * per];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns.length; c++) {
        System.arraycopy(w, (rows[r] * inputs + columns[c]) * per, out, (r * columns.length + c) * per, per);
      }
    }
    return out;
  }

  private static float[] randomImages(int n) {
    Random r = new Random(7);
    float[] x = new float[n * CATDOG.preprocessing().tensorSize()];
    IntStream.range(0, x.length).forEach(i -> x[i] = (float) r.nextGaussian());
    return x;
  }
}
