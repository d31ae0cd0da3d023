package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import catdog.trainer.model.ModelCost;
import catdog.trainer.model.ModelSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelReportTest {
  @TempDir Path dir;

  @Test
  void shouldDescribeTheSeedModelFromItsFileAlone() throws Exception {
    ModelSpec spec = ModelSpec.require("catdog-seed");
    try (NDManager manager = NDManager.newBaseManager()) {
      Path file = OnnxExporter.write(OnnxExporter.export(Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 3), spec,
          Provenance.now("catsdogs/train", OptionalDouble.of(0.71), 30)), dir.resolve("seed.onnx"));
      ModelReport report = ModelReport.read(file);

      assertThat(report.irVersion()).isEqualTo(8);
      assertThat(report.opset()).isEqualTo(13);
      assertThat(report.inputs()).containsExactly("image float[N,3,128,128]");
      assertThat(report.outputs()).containsExactly("probabilities float[N,2]", "logits float[N,2]");
      assertThat(report.ops()).containsExactlyInAnyOrderEntriesOf(
          Map.of("Conv", 5, "Relu", 6, "MaxPool", 4, "Flatten", 1, "Gemm", 2, "Softmax", 1));
      assertThat(report.parameters()).isEqualTo(53_706).isEqualTo(report.storedValues());
      assertThat(report.metadata()).containsEntry("catdog.name", "catdog-seed").containsEntry("catdog.train.val_accuracy", "0.7100");
      assertThat(report.render()).contains("catdog.labels = cat,dog", "parameters: 53,706 learnable", "MFLOPs per image: ");
    }
  }

  @Test
  void shouldAgreeWithTheModelCostOnEveryModel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (ModelSpec spec : ModelSpec.all()) {
        ModelReport report = ModelReport.of(OnnxExporter.export(Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 3),
            spec, Provenance.now("test", OptionalDouble.empty(), 1)));
        ModelCost cost = spec.cost();
        assertThat(report.flops()).as(spec.name()).hasValue(cost.flops());
        assertThat(report.parameters()).as(spec.name()).isEqualTo(cost.parameters());
      }
    }
  }

  @Test
  void shouldCountBatchNormStatisticsAsStoredNotLearnable() {
    ModelSpec spec = ModelSpec.require("catdog");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelReport report = ModelReport.of(OnnxExporter.export(Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 3),
          spec, Provenance.now("test", OptionalDouble.empty(), 1)));
      long channels = 16 + 32 + 64 + 64 + 128 + 128 + 256 + 256;
      assertThat(report.storedValues() - report.parameters()).isEqualTo(2 * channels);
      assertThat(report.ops()).containsEntry("BatchNormalization", 8).containsEntry("AveragePool", 1).doesNotContainKey("Dropout");
    }
  }
}
