package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"catdog", "catdog-lite", "catdog-seed"})
  void shouldFoldBatchNormWithoutChangingTheOutputs(String name) throws Exception {
    ModelSpec spec = ModelSpec.require(name);
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelProto model = export(manager, spec);
      Quantizer.Plan plan = Quantizer.plan(model);
      ModelProto folded = model.toBuilder().setGraph(plan.folded()).build();

      assertThat(plan.folded().getNodeList()).extracting(NodeProto::getOpType).doesNotContain("BatchNormalization");
      Images im = images(spec);
      long[] shape = {im.count(), 3, 128, 128};
      float[] before = Ort.run(model, im.batch(), shape).get("logits").values();
      float[] after = Ort.run(folded, im.batch(), shape).get("logits").values();
      assertThat(Trained.maxAbsDiff(before, after)).isLessThanOrEqualTo(1e-4f * Math.max(1, Trained.maxAbs(before)));
    }
  }

  @ParameterizedTest
  @CsvSource({"catdog, 8", "catdog-lite, 15"})
  void shouldQuantiseEveryConvolutionAndScoreLikeTheFloatModel(String name, int convolutions) throws Exception {
    ModelSpec spec = ModelSpec.require(name);
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelProto model = export(manager, spec);
      Quantizer.Plan plan = Quantizer.plan(model);
      ImageSet set = Datasets.load(photos(), new ImagePreprocessor(spec.preprocessing(), ImageLimits.defaults()));
      Map<String, Quantizer.Range> ranges = Calibrator.ranges(plan, set, set.size());
      ModelProto int8 = Quantizer.quantize(plan, ranges, 7, "test");
      OnnxChecker.assertValid(int8, dir);

      List<String> ops = int8.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
      assertThat(ops).filteredOn("QLinearConv"::equals).hasSize(convolutions);
      assertThat(ops).doesNotContain("Conv", "BatchNormalization", "Relu");
      assertThat(ops.subList(0, ops.lastIndexOf("QLinearConv"))).as("float work before the last convolution")
          .containsOnly("QuantizeLinear", "QLinearConv", "MaxPool");
      Map<String, String> meta = metadata(int8);
      Map<String, String> source = metadata(model);
      assertThat(meta.get(ModelInfo.NAME)).isEqualTo(source.get(ModelInfo.NAME));
      assertThat(meta.get(ModelInfo.VERSION)).matches("[0-9a-f]{12}").isNotEqualTo(source.get(ModelInfo.VERSION));
      assertThat(meta).containsEntry(Quantizer.QUANTIZED_FROM, source.get(ModelInfo.NAME) + "@" + source.get(ModelInfo.VERSION))
          .containsEntry(Quantizer.QUANTIZATION, "test").containsEntry(ModelInfo.TRAIN_DATA, source.get(ModelInfo.TRAIN_DATA));

      // Calibrated on these very photos, so no activation is clipped: only rounding separates the two.
      float[] x = images(spec).batch();
      long[] shape = {set.size(), 3, 128, 128};
      float[] f = Ort.run(model, x, shape).get("logits").values();
      float[] q = Ort.run(int8, x, shape).get("logits").values();
      assertThat(Trained.maxAbsDiff(f, q)).as("int8 logits against float").isLessThanOrEqualTo(0.05f * Trained.maxAbs(f));
      assertThat(Trained.maxAbsDiff(f, q)).as("but not the same graph").isGreaterThan(0f);

      // The service loads and scores it like any other model.
      OnnxModel.LoadResult loaded = OnnxModel.load(int8.toByteArray(), InferenceSettings.defaults());
      assertThat(loaded).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
      try (OnnxModel served = ((OnnxModel.LoadResult.Loaded) loaded).model()) {
        assertThat(served.run(x, set.size())).isInstanceOf(BatchResult.Scored.class);
      }
    }
  }

  @Test
  void shouldRefuseMissingRangesAndImpossibleWeightBits() {
    ModelSpec spec = ModelSpec.require("catdog-seed");
    try (NDManager manager = NDManager.newBaseManager()) {
      Quantizer.Plan plan = Quantizer.plan(export(manager, spec));
      Map<String, Quantizer.Range> ranges = plan.points().stream().collect(Collectors.toMap(p -> p, p -> new Quantizer.Range(-1, 1)));
      assertThat(Quantizer.quantize(plan, ranges, 8, "all there").getGraph().getNodeCount()).isPositive();
      assertThatThrownBy(() -> Quantizer.quantize(plan, ranges, 9, "x")).hasMessageContaining("weight bits");
      ranges.remove(plan.points().get(plan.points().size() - 1));
      assertThatThrownBy(() -> Quantizer.quantize(plan, ranges, 8, "x")).hasMessageContaining("no calibrated range");
    }
  }

  @Test
  void shouldRefuseAModelWithoutConvolutions() {
    ModelSpec spec = ModelSpec.require("lenet");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelProto model = export(manager, spec);
      ModelProto.Builder noConv = model.toBuilder();
      noConv.getGraphBuilder().clearNode();
      assertThatThrownBy(() -> Quantizer.plan(noConv.build())).hasMessageContaining("no convolution");
    }
  }

  private static ModelProto export(NDManager manager, ModelSpec spec) {
    SequentialBlock block = Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 7);
    return OnnxExporter.export(block, spec, Provenance.now("test tensors", OptionalDouble.of(0.5), 1));
  }

  private record Images(float[] batch, int count) {}

  private static Images images(ModelSpec spec) throws Exception {
    ImageSet set = Datasets.load(photos(), new ImagePreprocessor(spec.preprocessing(), ImageLimits.defaults()));
    int size = (int) spec.inputShape().size();
    float[] x = new float[set.size() * size];
    for (int i = 0; i < set.size(); i++) {
      set.write(i, x, i * size, Optional.empty(), new Random(0));
    }
    return new Images(x, set.size());
  }

  private static Path photos() throws Exception {
    return Path.of(QuantizerTest.class.getResource("/catsdogs").toURI());
  }

  private static Map<String, String> metadata(ModelProto m) {
    return m.getMetadataPropsList().stream().collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
  }
}
