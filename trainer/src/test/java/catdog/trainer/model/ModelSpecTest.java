package catdog.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

  @Test
  void shouldFindEveryModelByName() {
    assertThat(ModelSpec.names()).containsExactly("catdog-seed", "catdog", "catdog-slim", "catdog-thin", "catdog-mini", "catdog-thin-s2", "catdog-mini-s2", "catdog-mini-s4", "catdog-96", "catdog-mid", "catdog-lite", "lenet-classic", "lenet");
    for (String name : ModelSpec.names()) {
      assertThat(ModelSpec.named(name)).get().extracting(ModelSpec::name).isEqualTo(name);
    }
    assertThat(ModelSpec.named("resnet")).isEmpty();
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.require("resnet"));
  }

  @Test
  void shouldGiveTheSeedNetworkTheHomeworksShapes() {
    ModelSpec seed = ModelSpec.require("catdog-seed");
    ModelCost cost = seed.cost();

    assertThat(seed.inputShape()).isEqualTo(new Shape(1, 3, 128, 128));
    assertThat(seed.labels()).containsExactly("cat", "dog");
    assertThat(cost.layers().stream().map(l -> l.output().toString()).toList()).containsExactly(
        "(6, 124, 124)", "(6, 124, 124)", "(6, 62, 62)",
        "(16, 58, 58)", "(16, 58, 58)", "(16, 29, 29)",
        "(32, 26, 26)", "(32, 26, 26)", "(32, 13, 13)",
        "(32, 10, 10)", "(32, 10, 10)", "(32, 5, 5)",
        "(32, 1, 1)", "(32, 1, 1)",
        "(32)", "(16)", "(16)", "(2)");
    // conv1..conv5 = 456 + 2416 + 8224 + 16416 + 25632; fc1 = 528; fc2 = 34
    assertThat(cost.parameters()).isEqualTo(53_706);
    // multiply-accumulates of the five convs and two linears, times two, plus ReLU and pooling reads
    long macs = 6L * 124 * 124 * 3 * 25 + 16L * 58 * 58 * 6 * 25 + 32L * 26 * 26 * 16 * 16 + 32L * 10 * 10 * 32 * 16
        + 32L * 32 * 25 + 32 * 16 + 16 * 2;
    assertThat(cost.flops()).isGreaterThan(2 * macs).isLessThan(2 * macs + 400_000);
  }

  @Test
  void shouldGiveLenetTheSeedNotesShapes() {
    for (String name : List.of("lenet", "lenet-classic")) {
      ModelCost cost = ModelSpec.require(name).cost();
      assertThat(cost.layers().stream().map(l -> l.output().toString()).toList()).containsExactly(
          "(6, 28, 28)", "(6, 28, 28)", "(6, 14, 14)",
          "(16, 10, 10)", "(16, 10, 10)", "(16, 5, 5)",
          "(400)", "(120)", "(120)", "(84)", "(84)", "(10)");
      assertThat(cost.parameters()).isEqualTo(156 + 2416 + 48_120 + 10_164 + 850);
      assertThat(ModelSpec.require(name).labels()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }
  }

  @Test
  void shouldKeepCatdogWithinTenTimesTheSeedsFlops() {
    double seed = ModelSpec.require("catdog-seed").cost().mflops();
    double catdog = ModelSpec.require("catdog").cost().mflops();
    assertThat(catdog).isGreaterThan(seed).isLessThanOrEqualTo(10 * seed);
  }

  @Test
  void shouldGiveCatdogLiteCatdogsStagesAtAboutHalfItsFlops() {
    ModelCost lite = ModelSpec.require("catdog-lite").cost();
    ModelCost catdog = ModelSpec.require("catdog").cost();

    assertThat(lite.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.output().toString()).toList())
        .containsExactly("(16, 128, 128)", "(32, 64, 64)",
            "(64, 32, 32)", "(64, 32, 32)", "(64, 32, 32)", "(64, 32, 32)", "(64, 32, 32)",
            "(128, 16, 16)", "(128, 16, 16)", "(128, 16, 16)", "(128, 16, 16)", "(128, 16, 16)",
            "(256, 8, 8)", "(256, 8, 8)", "(256, 8, 8)");
    // a depthwise 3x3 over 64 channels holds 64 x 9 weights, not 64 x 64 x 9
    assertThat(lite.layers()).filteredOn(l -> l.layer().equals("Conv2d 64→64 k3x3 p1x1 g64")).extracting(ModelCost.Layer::parameters)
        .containsExactly(64L * 9, 64L * 9);
    assertThat(lite.output()).isEqualTo(new Shape(2));
    assertThat(lite.mflops()).isGreaterThan(0.4 * catdog.mflops()).isLessThan(0.6 * catdog.mflops());
  }

  @Test
  void shouldGiveCatdog96CatdogsLayersOnFewerPixels() {
    ModelSpec small = ModelSpec.require("catdog-96");
    ModelCost cost = small.cost();
    ModelCost catdog = ModelSpec.require("catdog").cost();

    assertThat(small.inputShape()).isEqualTo(new Shape(1, 3, 96, 96));
    assertThat(small.preprocessing().mean()).containsExactly(ModelSpec.require("catdog").preprocessing().mean());
    assertThat(cost.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.output().toString()).toList())
        .containsExactly("(16, 96, 96)", "(32, 48, 48)", "(64, 24, 24)", "(64, 24, 24)",
            "(128, 12, 12)", "(128, 12, 12)", "(256, 6, 6)", "(256, 6, 6)");
    // the same weights, so the same parameters; the global pooling must cover the whole 6x6 map
    assertThat(cost.parameters()).isEqualTo(catdog.parameters());
    assertThat(cost.output()).isEqualTo(new Shape(2));
    assertThat(cost.mflops() / catdog.mflops()).isCloseTo(96.0 * 96 / (128 * 128), within(0.01));
  }

  @Test
  void shouldGiveCatdogMidFullConvsTo32PixelsAndSeparableOnesDeeper() {
    ModelCost mid = ModelSpec.require("catdog-mid").cost();
    ModelCost catdog = ModelSpec.require("catdog").cost();
    ModelCost lite = ModelSpec.require("catdog-lite").cost();

    assertThat(mid.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.layer() + " " + l.output()).toList())
        .containsExactly("Conv2d 3→16 k3x3 p1x1 (16, 128, 128)", "Conv2d 16→32 k3x3 p1x1 (32, 64, 64)",
            "Conv2d 32→64 k3x3 p1x1 (64, 32, 32)", "Conv2d 64→64 k3x3 p1x1 (64, 32, 32)",
            "Conv2d 64→128 k3x3 p1x1 (128, 16, 16)", "Conv2d 128→128 k3x3 p1x1 g128 (128, 16, 16)",
            "Conv2d 128→128 k1x1 (128, 16, 16)",
            "Conv2d 128→256 k3x3 p1x1 (256, 8, 8)", "Conv2d 256→256 k3x3 p1x1 g256 (256, 8, 8)",
            "Conv2d 256→256 k1x1 (256, 8, 8)");
    assertThat(mid.output()).isEqualTo(new Shape(2));
    assertThat(mid.mflops()).isGreaterThan(lite.mflops()).isLessThan(0.7 * catdog.mflops());
  }

  @Test
  void shouldGiveTheCatdogPrunesCatdogsLayersWithFewerChannels() {
    ModelCost slim = ModelSpec.require("catdog-slim").cost();
    ModelCost catdog = ModelSpec.require("catdog").cost();

    assertThat(slim.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.layer() + " " + l.output()).toList())
        .containsExactly("Conv2d 3→16 k3x3 p1x1 (16, 128, 128)", "Conv2d 16→32 k3x3 p1x1 (32, 64, 64)",
            "Conv2d 32→48 k3x3 p1x1 (48, 32, 32)", "Conv2d 48→48 k3x3 p1x1 (48, 32, 32)",
            "Conv2d 48→96 k3x3 p1x1 (96, 16, 16)", "Conv2d 96→96 k3x3 p1x1 (96, 16, 16)",
            "Conv2d 96→192 k3x3 p1x1 (192, 8, 8)", "Conv2d 192→192 k3x3 p1x1 (192, 8, 8)");
    assertThat(slim.layers()).hasSameSizeAs(catdog.layers());
    assertThat(slim.output()).isEqualTo(new Shape(2));
    assertThat(slim.mflops() / catdog.mflops()).isCloseTo(0.64, within(0.01));

    ModelCost thin = ModelSpec.require("catdog-thin").cost();
    assertThat(thin.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.output().toString()).toList())
        .containsExactly("(16, 128, 128)", "(32, 64, 64)", "(40, 32, 32)", "(40, 32, 32)", "(80, 16, 16)", "(80, 16, 16)",
            "(160, 8, 8)", "(160, 8, 8)");
    assertThat(thin.mflops() / catdog.mflops()).isCloseTo(0.50, within(0.01));

    ModelCost mini = ModelSpec.require("catdog-mini").cost();
    assertThat(mini.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.output().toString()).toList())
        .containsExactly("(16, 128, 128)", "(24, 64, 64)", "(32, 32, 32)", "(32, 32, 32)", "(64, 16, 16)", "(64, 16, 16)",
            "(128, 8, 8)", "(128, 8, 8)");
    assertThat(mini.mflops() / thin.mflops()).isCloseTo(0.685, within(0.01));

    // The stride-2 stem replaces the first conv at full resolution and its pooling: the same weights, one
    // fewer layer, the first conv a quarter of its cost.
    ModelCost miniS2 = ModelSpec.require("catdog-mini-s2").cost();
    assertThat(miniS2.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.layer() + " " + l.output()).toList())
        .startsWith("Conv2d 3→16 k3x3 s2x2 p1x1 (16, 64, 64)", "Conv2d 16→24 k3x3 p1x1 (24, 64, 64)",
            "Conv2d 24→32 k3x3 p1x1 (32, 32, 32)");
    assertThat(miniS2.parameters()).isEqualTo(mini.parameters());
    assertThat(miniS2.layers()).hasSize(mini.layers().size() - 1);
    assertThat(miniS2.output()).isEqualTo(new Shape(2));
    assertThat(miniS2.layers().get(0).flops()).isEqualTo(mini.layers().get(0).flops() / 4);
    assertThat(miniS2.mflops() / thin.mflops()).isCloseTo(0.626, within(0.01));

    // And the second conv strided in place of the next pooling: down to 32 pixels after two convs.
    ModelCost miniS4 = ModelSpec.require("catdog-mini-s4").cost();
    assertThat(miniS4.layers().stream().filter(l -> l.layer().startsWith("Conv2d")).map(l -> l.layer() + " " + l.output()).toList())
        .startsWith("Conv2d 3→16 k3x3 s2x2 p1x1 (16, 64, 64)", "Conv2d 16→24 k3x3 s2x2 p1x1 (24, 32, 32)",
            "Conv2d 24→32 k3x3 p1x1 (32, 32, 32)");
    assertThat(miniS4.parameters()).isEqualTo(mini.parameters());
    assertThat(miniS4.layers()).hasSize(mini.layers().size() - 2);
    assertThat(miniS4.layers().get(3).flops()).isEqualTo(miniS2.layers().get(3).flops() / 4);
    assertThat(miniS4.mflops() / miniS2.mflops()).isCloseTo(0.824, within(0.01));
  }

  @Test
  void shouldProduceLogitsOfTheComputedShapeInDjl() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (ModelSpec spec : ModelSpec.all()) {
        SequentialBlock block = spec.newBlock();
        block.initialize(manager, DataType.FLOAT32, spec.inputShape());
        Shape in = new Shape(3, spec.inputShape().get(1), spec.inputShape().get(2), spec.inputShape().get(3));
        NDArray out = block.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(0, 1, in)), false)
            .singletonOrThrow();
        assertThat(out.getShape()).as(spec.name()).isEqualTo(new Shape(3, spec.classes()));
        assertThat(spec.cost().output()).as(spec.name()).isEqualTo(new Shape(spec.classes()));
      }
    }
  }
}
