package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.streaming.inference.ModelInfo;
import catdog.trainer.model.ModelSpec;
import catdog.trainer.nn.Flatten;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
  private static final Provenance PROVENANCE = new Provenance("catsdogs/train (4000 images)", OptionalDouble.of(0.8125), 30,
      Instant.parse("2026-11-29T07:00:00Z"), "0123456789abcdef0123456789abcdef01234567");

  @TempDir Path dir;

  @Test
  void shouldWriteEverythingTheServiceReadsIntoTheMetadata() throws Exception {
    ModelSpec spec = ModelSpec.require("catdog-seed");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelProto model = OnnxExporter.export(Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 1), spec, PROVENANCE);
      Path file = OnnxExporter.write(model, dir.resolve("out/model.onnx"));
      ModelProto read = ModelProto.parseFrom(Files.readAllBytes(file));
      // As readable as any file written there (the umask's), not owner-only like a temporary file.
      Path plain = Files.writeString(dir.resolve("out/plain.txt"), "x");
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
      try (var left = Files.list(dir.resolve("out"))) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.onnx", "plain.txt");
      }

      assertThat(read.getIrVersion()).isEqualTo(8);
      assertThat(read.getOpsetImport(0).getVersion()).isEqualTo(13);
      Map<String, String> meta = read.getMetadataPropsList().stream()
          .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
      ModelInfo info = ((ModelInfo.Parsed.Valid) ModelInfo.fromMetadata(meta)).info();
      assertThat(info.name()).isEqualTo("catdog-seed");
      assertThat(info.version()).matches("[0-9a-f]{12}");
      assertThat(info.labels()).containsExactly("cat", "dog");
      assertThat(info.preprocessing()).isEqualTo(spec.preprocessing());
      assertThat(meta).containsEntry(ModelInfo.TRAIN_DATA, "catsdogs/train (4000 images)")
          .containsEntry(ModelInfo.VAL_ACCURACY, "0.8125").containsEntry(ModelInfo.EPOCHS, "30")
          .containsEntry(ModelInfo.CREATED_AT, "2026-11-29T07:00:00Z")
          .containsEntry(ModelInfo.GIT_COMMIT, "0123456789abcdef0123456789abcdef01234567");
      assertThat(read.getGraph().getInputList()).singleElement().satisfies(in -> {
        assertThat(in.getName()).isEqualTo("image");
        assertThat(in.getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("N");
      });
      assertThat(read.getGraph().getOutputList()).extracting(o -> o.getName()).containsExactly("probabilities", "logits");
    }
  }

  @Test
  void shouldVersionByContent() {
    ModelSpec spec = ModelSpec.require("lenet");
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock a = Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 5);
      SequentialBlock b = Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 5);
      Provenance later = new Provenance("elsewhere", OptionalDouble.empty(), 3, Instant.now(), "unknown");
      String va = version(OnnxExporter.export(a, spec, PROVENANCE));
      assertThat(version(OnnxExporter.export(b, spec, later))).as("same weights, other provenance").isEqualTo(va);

      NDArray w = b.getParameters().get("01Conv2d_weight").getArray();
      float[] values = w.toFloatArray();
      values[0] += 1e-3f;
      w.set(values);
      assertThat(version(OnnxExporter.export(b, spec, PROVENANCE))).as("one weight changed").isNotEqualTo(va);
    }
  }

  @Test
  void shouldNameTheLayerItCannotExport() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock lambdaPool = new SequentialBlock()
          .add(Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build())
          .add(Pool.maxPool2dBlock(new Shape(2, 2)));
      lambdaPool.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      assertThatThrownBy(() -> OnnxExporter.exportLayers(lambdaPool, new Shape(1, 1, 8, 8)))
          .isInstanceOf(UnsupportedBlockException.class).hasMessageContaining("02LambdaBlock").hasMessageContaining("Pool2d");

      SequentialBlock djlNorm = new SequentialBlock().add(BatchNorm.builder().build());
      djlNorm.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      assertThatThrownBy(() -> OnnxExporter.exportLayers(djlNorm, new Shape(1, 1, 8, 8)))
          .isInstanceOf(UnsupportedBlockException.class).hasMessageContaining("01BatchNorm").hasMessageContaining("BatchNorm2d");

      SequentialBlock tanh = new SequentialBlock().add(new Flatten()).add(Activation.tanhBlock());
      tanh.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      assertThatThrownBy(() -> OnnxExporter.exportLayers(tanh, new Shape(1, 1, 8, 8)))
          .isInstanceOf(UnsupportedBlockException.class).hasMessageContaining("02LambdaBlock");
    }
  }

  @Test
  void shouldRefuseANetworkThatDoesNotEndInLogitsOrIsUntrained() {
    ModelSpec spec = ModelSpec.require("catdog-seed");
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock wrongHead = spec.newBlock();
      wrongHead.add(Linear.builder().setUnits(5).build());
      wrongHead.initialize(manager, DataType.FLOAT32, spec.inputShape());
      assertThatThrownBy(() -> OnnxExporter.export(wrongHead, spec, PROVENANCE)).hasMessageContaining("not logits of its 2 labels");
      assertThatThrownBy(() -> OnnxExporter.export(spec.newBlock(), spec, PROVENANCE)).hasMessageContaining("export a trained block");
    }
  }

  @Test
  void shouldRefuseALinearLayerOnAnUnflattenedInput() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(3).build());
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
      assertThatThrownBy(() -> OnnxExporter.exportLayers(net, new Shape(1, 1, 4, 4)))
          .isInstanceOf(UnsupportedBlockException.class).hasMessageContaining("01Linear").hasMessageContaining("Flatten");
    }
  }

  @Test
  void shouldHaveTheCheckerRejectABrokenGraph() throws Exception {
    ModelSpec spec = ModelSpec.require("lenet");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelProto good = OnnxExporter.export(Trained.initialise(manager, spec.newBlock(), spec.inputShape(), 2), spec, PROVENANCE);
      assertThat(OnnxChecker.check(good, dir).exitCode()).isZero();
      // The first conv now reads a value nothing produces: the checker must say so, or its passes prove nothing.
      ModelProto.Builder broken = good.toBuilder();
      broken.getGraphBuilder().getNodeBuilder(0).setInput(0, "nowhere");
      OnnxChecker.Result verdict = OnnxChecker.check(broken.build(), dir);
      assertThat(verdict.exitCode()).isNotZero();
      assertThat(verdict.output()).contains("nowhere");
    }
  }

  private static String version(ModelProto m) {
    return m.getMetadataPropsList().stream().filter(e -> e.getKey().equals(ModelInfo.VERSION)).findFirst().orElseThrow().getValue();
  }
}
