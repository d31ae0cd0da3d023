package catdog.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import catdog.trainer.nn.Act;
import catdog.trainer.nn.BatchNorm2d;
import catdog.trainer.nn.Flatten;
import catdog.trainer.nn.Pool2d;

/** The layer stacks behind the named models. Every one ends in logits; softmax is the exporter's. */
final class Architectures {
  // Widths per stage of the pruned catdogs that have a stride-2 variant.
  private static final int[][] THIN = {{16}, {32}, {40, 40}, {80, 80}, {160, 160}};
  private static final int[][] MINI = {{16}, {24}, {32, 32}, {64, 64}, {128, 128}};

  private Architectures() {}

  /**
   * The homework's Net: five valid convolutions (k5, k5, k4, k4, k5), ReLU after each, 2/2 max pooling after
   * the first four, so that 128×128 shrinks to 32×1×1; then 32 → 16 → 2.
   */
  static SequentialBlock catdogSeed() {
    SequentialBlock net = new SequentialBlock();
    int[][] convs = {{6, 5}, {16, 5}, {32, 4}, {32, 4}, {32, 5}};
    for (int i = 0; i < convs.length; i++) {
      net.add(conv(convs[i][0], convs[i][1], 0)).add(Act.relu());
      if (i < 4) {
        net.add(Pool2d.max(2, 2));
      }
    }
    return net.add(new Flatten()).add(linear(16)).add(Act.relu()).add(linear(2));
  }

  /**
   * Cats and dogs from scratch, tuned for a short CPU training budget: eight 3×3 conv + batch-norm + ReLU
   * layers, one per stage at 128 and 64 pixels (16, 32 channels) and two per stage at 32, 16 and 8 (64, 128,
   * 256), where depth is cheap; 2/2 max pooling between stages, global average pooling over the final 8×8,
   * dropout and one linear layer. About 8.8× the seed's MFLOPs, within the 10× budget, yet an epoch trains
   * faster than the first version's five wider layers (fewer channels at full resolution).
   */
  static SequentialBlock catdog() {
    return catdog(128);
  }

  /**
   * catdog for a square input of {@code pixels} (a multiple of 16): the same layers, so the cost scales with the
   * pixel count, and global average pooling over whatever the four 2/2 poolings leave.
   */
  static SequentialBlock catdog(int pixels) {
    return catdog(pixels, new int[][] {{16}, {32}, {64, 64}, {128, 128}, {256, 256}});
  }

  /**
   * catdog pruned: the same layers with 3/4 of the channels from 32 pixels down (48, 96, 192), 0.64× the
   * multiply-adds. Widths stay multiples of 8, the channel block of ONNX Runtime's AVX2 convolutions, so the
   * saving reaches the kernels. Meant to start from catdog's trained weights ({@code train --init-from}).
   */
  static SequentialBlock catdogSlim() {
    return catdog(128, new int[][] {{16}, {32}, {48, 48}, {96, 96}, {192, 192}});
  }

  /** catdog pruned further: 5/8 of the channels from 32 pixels down (40, 80, 160), 0.50× the multiply-adds. */
  static SequentialBlock catdogThin() {
    return catdog(128, THIN, 0);
  }

  /**
   * catdog pruned to half its channels from 32 pixels down (32, 64, 128) and 24 at 64 pixels: 0.34× catdog's
   * multiply-adds, 0.69× catdog-thin's. Meant to start from catdog-thin's weights ({@code train --init-from}).
   */
  static SequentialBlock catdogMini() {
    return catdog(128, MINI, 0);
  }

  /**
   * catdog-mini with its first conv at stride 2 in place of conv + 2/2 max pooling. ONNX Runtime runs that
   * three-channel conv at full resolution at half the efficiency of the others (15% of catdog-mini's time for
   * 11% of its multiply-adds, its pooling 2-4% more); at stride 2 it costs a quarter and the pooling goes, so
   * the model runs at about 1.17× catdog-mini's images per second. The layers and weights are catdog-mini's:
   * it starts from them ({@code train --init-from}).
   */
  static SequentialBlock catdogMiniS2() {
    return catdog(128, MINI, 1);
  }

  /** catdog-thin with catdog-mini's stride-2 first conv: about 1.11× catdog-thin's images per second. */
  static SequentialBlock catdogThinS2() {
    return catdog(128, THIN, 1);
  }

  /**
   * catdog-mini-s2 with its second conv at stride 2 too, in place of the pooling after it: that conv at 64
   * pixels was 27% of catdog-mini-s2's time in ONNX Runtime's profiler, and costs a quarter at stride 2.
   */
  static SequentialBlock catdogMiniS4() {
    return catdog(128, MINI, 2);
  }

  private static SequentialBlock catdog(int pixels, int[][] stages) {
    return catdog(pixels, stages, 0);
  }

  /**
   * catdog's layer pattern with the widths of each stage's convolutions given, one stage per halving of the
   * resolution: a 2/2 max pooling after each stage, except that the first {@code stridedStages} halve it with
   * a stride-2 first conv instead.
   */
  private static SequentialBlock catdog(int pixels, int[][] stages, int stridedStages) {
    SequentialBlock net = new SequentialBlock();
    for (int i = 0; i < stages.length; i++) {
      for (int j = 0; j < stages[i].length; j++) {
        int stride = i < stridedStages && j == 0 ? 2 : 1;
        net.add(convNoBias(stages[i][j], 3, 1, stride)).add(new BatchNorm2d()).add(Act.relu());
      }
      if (i == stages.length - 1) {
        net.add(Pool2d.avg(pixels / 16, pixels / 16));
      } else if (i >= stridedStages) {
        net.add(Pool2d.max(2, 2));
      }
    }
    return net.add(new Flatten()).add(Dropout.builder().optRate(0.3f).build()).add(linear(2));
  }

  /**
   * catdog at half the inference cost, for CPUs where ONNX Runtime's int8 kernels are no faster than float
   * (AVX2 without VNNI): each stage from 32 pixels down opens with a full 3×3 conv that changes the width,
   * then goes deeper with depthwise-separable ones (3×3 per channel, then 1×1 across channels, each with
   * batch norm and ReLU), which cost a ninth as much for the same receptive field. Measured in ONNX Runtime on
   * two cores: about 1.7× catdog's images per second (785 against 459 in the bench).
   */
  static SequentialBlock catdogLite() {
    SequentialBlock net = new SequentialBlock();
    net.add(convNoBias(16, 3, 1)).add(new BatchNorm2d()).add(Act.relu()).add(Pool2d.max(2, 2));
    net.add(convNoBias(32, 3, 1)).add(new BatchNorm2d()).add(Act.relu()).add(Pool2d.max(2, 2));
    int[][] stages = {{64, 2}, {128, 2}, {256, 1}};
    for (int i = 0; i < stages.length; i++) {
      int width = stages[i][0];
      net.add(convNoBias(width, 3, 1)).add(new BatchNorm2d()).add(Act.relu());
      for (int k = 0; k < stages[i][1]; k++) {
        net.add(depthwise(width)).add(new BatchNorm2d()).add(Act.relu());
        net.add(convNoBias(width, 1, 0)).add(new BatchNorm2d()).add(Act.relu());
      }
      net.add(i < stages.length - 1 ? Pool2d.max(2, 2) : Pool2d.avg(8, 8));
    }
    return net.add(new Flatten()).add(Dropout.builder().optRate(0.3f).build()).add(linear(2));
  }

  /**
   * Between catdog and catdog-lite: catdog's layers up to the 32-pixel stage, then at 16 and 8 pixels a full 3×3
   * conv that changes the width followed by one depthwise-separable conv where catdog has its second full one.
   * Those two second convs are 38% of catdog's multiply-adds and most of what catdog-lite saves.
   */
  static SequentialBlock catdogMid() {
    SequentialBlock net = new SequentialBlock();
    int[][] full = {{16}, {32}, {64, 64}};
    for (int[] stage : full) {
      for (int width : stage) {
        net.add(convNoBias(width, 3, 1)).add(new BatchNorm2d()).add(Act.relu());
      }
      net.add(Pool2d.max(2, 2));
    }
    for (int width : new int[] {128, 256}) {
      net.add(convNoBias(width, 3, 1)).add(new BatchNorm2d()).add(Act.relu());
      net.add(depthwise(width)).add(new BatchNorm2d()).add(Act.relu());
      net.add(convNoBias(width, 1, 0)).add(new BatchNorm2d()).add(Act.relu());
      net.add(width < 256 ? Pool2d.max(2, 2) : Pool2d.avg(8, 8));
    }
    return net.add(new Flatten()).add(Dropout.builder().optRate(0.3f).build()).add(linear(2));
  }

  /** LeNet-5 as the seed's notes define it: sigmoid activations and 2/2 average pooling. */
  static SequentialBlock lenetClassic() {
    return lenet(Act::sigmoid, () -> Pool2d.avg(2, 2));
  }

  /** LeNet-5 modernised: ReLU and 2/2 max pooling, otherwise the same shapes. */
  static SequentialBlock lenetModern() {
    return lenet(Act::relu, () -> Pool2d.max(2, 2));
  }

  private static SequentialBlock lenet(java.util.function.Supplier<Block> act, java.util.function.Supplier<Block> pool) {
    return new SequentialBlock()
        .add(conv(6, 5, 2)).add(act.get()).add(pool.get())
        .add(conv(16, 5, 0)).add(act.get()).add(pool.get())
        .add(new Flatten())
        .add(linear(120)).add(act.get())
        .add(linear(84)).add(act.get())
        .add(linear(10));
  }

  private static Conv2d conv(int filters, int kernel, int padding) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(padding, padding)).build();
  }

  /** Batch norm follows, so a bias would only be cancelled by its mean subtraction. */
  private static Conv2d convNoBias(int filters, int kernel, int padding) {
    return convNoBias(filters, kernel, padding, 1);
  }

  private static Conv2d convNoBias(int filters, int kernel, int padding, int stride) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(padding, padding)).optStride(new Shape(stride, stride)).optBias(false).build();
  }

  /** One 3×3 filter per channel; the 1×1 conv after it mixes the channels. */
  private static Conv2d depthwise(int channels) {
    return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
        .optGroups(channels).optBias(false).build();
  }

  private static Linear linear(int units) {
    return Linear.builder().setUnits(units).build();
  }
}
