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
import java.util.ArrayList;
import java.util.List;

/**
 * What a network costs for one image, worked out from the block structure alone (no weights needed).
 *
 * <p>FLOPs count a multiply and an add separately: a convolution or linear layer costs 2 per
 * multiply-accumulate; batch norm 2 per element (scale and shift); an activation 1 per element; pooling
 * one per window element read. Parameters are the learnable ones (weights, biases, gamma, beta), as
 * PyTorch's {@code numel} over {@code parameters()} counts them; batch norm's running statistics are not.
 *
 * @param layers one row per layer, in forward order
 */
public record ModelCost(List<Layer> layers) {

  /**
   * One layer.
   *
   * @param index position in the sequential block, from 1
   * @param layer what it is, e.g. {@code Conv2d 3→6 k5x5}
   * @param output its output shape for one image, without the batch axis
   * @param parameters learnable parameters
   * @param flops floating-point operations for one image
   */
  public record Layer(int index, String layer, Shape output, long parameters, long flops) {}

  public ModelCost {
    layers = List.copyOf(layers);
  }

  /** The cost of {@code block} for an input of {@code inputShape} ([1, C, H, W]). */
  public static ModelCost of(SequentialBlock block, Shape inputShape) {
    List<Layer> rows = new ArrayList<>();
    Shape shape = inputShape;
    int index = 0;
    for (Block child : block.getChildren().values()) {
      Shape out = child.getOutputShapes(new Shape[] {shape})[0];
      rows.add(row(++index, child, shape, out));
      shape = out;
    }
    return new ModelCost(rows);
  }

  public long parameters() {
    return layers.stream().mapToLong(Layer::parameters).sum();
  }

  public long flops() {
    return layers.stream().mapToLong(Layer::flops).sum();
  }

  /** Millions of floating-point operations per image. */
  public double mflops() {
    return flops() / 1e6;
  }

  /** The output shape of the last layer, without the batch axis. */
  public Shape output() {
    return layers.get(layers.size() - 1).output();
  }

  private static Layer row(int index, Block block, Shape in, Shape out) {
    long outElements = out.slice(1).size();
    if (block instanceof Conv2d conv) {
      long cin = in.get(1);
      long cout = conv.getFilters();
      long k = conv.getKernelShape().size();
      long weights = cout * (cin / conv.getGroups()) * k;
      long bias = conv.isIncludeBias() ? cout : 0;
      String what = "Conv2d " + cin + "→" + cout + " k" + dims(conv.getKernelShape()) + attributes(conv);
      return new Layer(index, what, out.slice(1), weights + bias, 2 * outElements * (cin / conv.getGroups()) * k);
    }
    if (block instanceof Linear) {
      long fin = in.slice(1).size();
      long units = out.get(1);
      boolean bias = block.getDirectParameters().keys().contains("bias");
      return new Layer(index, "Linear " + fin + "→" + units, out.slice(1), fin * units + (bias ? units : 0), 2 * fin * units);
    }
    if (block instanceof BatchNorm2d) {
      return new Layer(index, block.toString(), out.slice(1), 2 * in.get(1), 2 * outElements);
    }
    if (block instanceof Act) {
      return new Layer(index, block.toString(), out.slice(1), 0, outElements);
    }
    if (block instanceof Pool2d pool) {
      int[] k = pool.kernel();
      return new Layer(index, block.toString(), out.slice(1), 0, outElements * k[0] * k[1]);
    }
    if (block instanceof Flatten || block instanceof Dropout) {
      return new Layer(index, block instanceof Flatten ? "Flatten" : "Dropout", out.slice(1), 0, 0);
    }
    throw new IllegalArgumentException("cannot cost layer " + index + ": " + block.getClass().getName());
  }

  private static String dims(Shape s) {
    return s.get(0) + "x" + s.get(1);
  }

  private static String attributes(Conv2d conv) {
    String stride = conv.getStride().get(0) == 1 && conv.getStride().get(1) == 1 ? "" : " s" + dims(conv.getStride());
    String pad = conv.getPadding().get(0) == 0 && conv.getPadding().get(1) == 0 ? "" : " p" + dims(conv.getPadding());
    String groups = conv.getGroups() == 1 ? "" : " g" + conv.getGroups();
    return stride + pad + groups;
  }
}
