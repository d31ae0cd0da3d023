package catdog.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.eval.Classifier;
import catdog.trainer.export.OnnxExporter;
import catdog.trainer.export.Provenance;
import catdog.trainer.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distillation: the softened targets, what a checkpoint keeps of it, and that the student learns the teacher. */
class DistillationTest {
  private static final ModelSpec SEED = ModelSpec.require("catdog-seed");

  @TempDir
  Path tmp;

  @Test
  void shouldSoftenProbabilitiesAsATemperatureOnTheLogits() {
    float[][] p = {{0.9f, 0.1f}, {0f, 1f}};
    assertThat(new Distillation(Path.of("t.onnx"), 0.5f, 1).soften(p)).containsExactly(new float[] {0.9f, 0.1f, 0f, 1f}, within(1e-6f));

    float[] soft = new Distillation(Path.of("t.onnx"), 0.5f, 3).soften(p);
    // softmax(log(p) / 3): logits 2.197 and 0 for the first row, divided by 3.
    double expected = 1 / (1 + Math.exp(-Math.log(9) / 3));
    assertThat(soft[0]).isCloseTo((float) expected, within(1e-6f));
    assertThat(soft[0] + soft[1]).isCloseTo(1f, within(1e-6f));
    // A probability that underflowed to zero still gives a finite, tiny target, not NaN.
    assertThat(soft[2]).isPositive().isLessThan(1e-9f);
    assertThat(soft[3]).isCloseTo(1f, within(1e-6f));
  }

  @Test
  void shouldRefuseATeacherThatIsNotAnExportedModelAndWeightsOutOfRange() {
    assertThatThrownBy(() -> new Distillation(Path.of("run/final.ckpt"), 0.5f, 2)).hasMessageContaining(".onnx");
    assertThatThrownBy(() -> new Distillation(Path.of("t.onnx"), 1.5f, 2)).hasMessageContaining("weight");
    assertThatThrownBy(() -> new Distillation(Path.of("t.onnx"), 0.5f, 0.5f)).hasMessageContaining("temperature");
  }

  @Test
  void shouldKeepTheTeacherInTheCheckpointHeaderSoThatAResumedRunDistilsToo() {
    Distillation d = new Distillation(tmp.resolve("teacher.onnx"), 0.7f, 3);
    TrainConfig cfg = config(tmp.resolve("run"), 2, Optional.of(d));
    Map<String, String> header = cfg.header();
    assertThat(TrainConfig.fromHeader(header, cfg.out())).isEqualTo(cfg);
    assertThat(TrainConfig.fromHeader(config(tmp.resolve("run"), 2, Optional.empty()).header(), cfg.out()).distillation()).isEmpty();
  }

  @Test
  void shouldRefuseATeacherThatSeesImagesDifferently() throws Exception {
    Path lenet = export(ModelSpec.require("lenet"), tmp.resolve("lenet.onnx"));
    assertThatThrownBy(() -> Teacher.open(new Distillation(lenet, 0.5f, 2), SEED, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not see images as catdog-seed does");
  }

  /**
   * A teacher with random weights says nothing true about cats and dogs, so only distillation can bring a
   * student close to it: with the whole loss on the teacher, the student ends nearer the teacher's probabilities
   * than the same run trained on the labels alone.
   */
  @Test
  void shouldPullTheStudentTowardsTheTeacher() throws Exception {
    Path teacher = export(SEED, tmp.resolve("teacher.onnx"));
    Path photos = Path.of(DistillationTest.class.getResource("/catsdogs").toURI());
    ImageSet set = Datasets.load(photos, new ImagePreprocessor(SEED.preprocessing(), ImageLimits.defaults()));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    double distilled;
    double labelsOnly;
    try (Classifier t = Classifier.open(teacher)) {
      try (Network net = new TrainingRun(config(tmp.resolve("kd"), 4, Optional.of(new Distillation(teacher, 1, 2))), quiet, false)
          .run(false).network()) {
        distilled = meanAbsDifference(t, net, set);
      }
      try (Network net = new TrainingRun(config(tmp.resolve("hard"), 4, Optional.empty()), quiet, false).run(false).network()) {
        labelsOnly = meanAbsDifference(t, net, set);
      }
    }
    assertThat(distilled).isLessThan(labelsOnly / 2); // measured: 0.036 against 0.145
    assertThat(TrainingRun.resumable(tmp.resolve("kd")).orElseThrow().distillation()).get()
        .extracting(Distillation::teacher).isEqualTo(teacher.toAbsolutePath().normalize());
  }

  private TrainConfig config(Path out, int epochs, Optional<Distillation> distillation) {
    try {
      Path photos = Path.of(DistillationTest.class.getResource("/catsdogs").toURI());
      return new TrainConfig(SEED, photos, Optional.of(photos), 0.1, epochs, 8, 3e-3f, 0f, false, TrainConfig.Schedule.CONSTANT, 11,
          Network.Init.XAVIER, out, distillation, Optional.empty());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A freshly initialised network of {@code spec}, exported as the trainer exports. */
  private static Path export(ModelSpec spec, Path file) throws Exception {
    try (Network net = Network.create(spec, Network.Init.XAVIER)) {
      return OnnxExporter.write(OnnxExporter.export(net.block(), spec, Provenance.now("random", OptionalDouble.empty(), 0)), file);
    }
  }

  /** The mean absolute difference between the teacher's and the student's probability of class 1. */
  private static double meanAbsDifference(Classifier teacher, Network student, ImageSet set) {
    int size = SEED.preprocessing().tensorSize();
    float[] x = new float[set.size() * size];
    for (int i = 0; i < set.size(); i++) {
      set.write(i, x, i * size, Optional.empty(), new Random(0));
    }
    float[][] t = teacher.probabilities(x, set.size());
    float[][] s = student.probabilities(x, set.size());
    double sum = 0;
    for (int i = 0; i < set.size(); i++) {
      sum += Math.abs(t[i][1] - s[i][1]);
    }
    return sum / set.size();
  }
}
