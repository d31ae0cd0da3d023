package catdog.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * 2-D max or average pooling over NCHW input, with its window, stride and symmetric padding readable.
 * Output size per spatial axis is ⌊(n + 2p − k) / s⌋ + 1 (floor mode, as PyTorch's default).
 *
 * <p>Average pooling always counts padded zeros in the divisor (ONNX {@code count_include_pad=1}, PyTorch's
 * default): DJL 0.36's PyTorch engine ignores its {@code countIncludePad=false} flag, so offering the
 * other mode would train one thing and export another.
 */
public final class Pool2d extends AbstractBlock {
  /** Which reduction the window applies. */
  public enum Kind { MAX, AVG }

  private final Kind kind;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;

  private Pool2d(Kind kind, int[] kernel, int[] stride, int[] padding) {
    for (int[] pair : new int[][] {kernel, stride, padding}) {
      if (pair.length != 2) {
        throw new IllegalArgumentException("kernel, stride and padding take (height, width)");
      }
    }
    if (kernel[0] < 1 || kernel[1] < 1 || stride[0] < 1 || stride[1] < 1 || padding[0] < 0 || padding[1] < 0) {
      throw new IllegalArgumentException("bad pooling geometry: kernel " + Arrays.toString(kernel) + " stride "
          + Arrays.toString(stride) + " padding " + Arrays.toString(padding));
    }
    if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
      // PyTorch refuses this too: a window could then lie entirely in the padding.
      throw new IllegalArgumentException("padding must be at most half the kernel, was " + Arrays.toString(padding)
          + " for kernel " + Arrays.toString(kernel));
    }
    this.kind = kind;
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
  }

  /** Max pooling with a square window and no padding, e.g. {@code max(2, 2)}. */
  public static Pool2d max(int kernel, int stride) {
    return max(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {0, 0});
  }

  public static Pool2d max(int[] kernel, int[] stride, int[] padding) {
    return new Pool2d(Kind.MAX, kernel, stride, padding);
  }

  /** Average pooling with a square window and no padding, e.g. {@code avg(2, 2)}. */
  public static Pool2d avg(int kernel, int stride) {
    return avg(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {0, 0});
  }

  /** Average pooling; padded zeros count in the divisor. */
  public static Pool2d avg(int[] kernel, int[] stride, int[] padding) {
    return new Pool2d(Kind.AVG, kernel, stride, padding);
  }

  public Kind kind() {
    return kind;
  }

  /** (height, width). */
  public int[] kernel() {
    return kernel.clone();
  }

  /** (height, width). */
  public int[] stride() {
    return stride.clone();
  }

  /** (height, width), applied on both sides. */
  public int[] padding() {
    return padding.clone();
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    Shape k = new Shape(kernel[0], kernel[1]);
    Shape s = new Shape(stride[0], stride[1]);
    Shape p = new Shape(padding[0], padding[1]);
    return new NDList(kind == Kind.MAX
        ? Pool.maxPool2d(inputs.singletonOrThrow(), k, s, p, false)
        : Pool.avgPool2d(inputs.singletonOrThrow(), k, s, p, false, true));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), outputSize(in.get(2), 0), outputSize(in.get(3), 1))};
  }

  private long outputSize(long n, int axis) {
    return Math.floorDiv(n + 2L * padding[axis] - kernel[axis], stride[axis]) + 1;
  }

  @Override
  public String toString() {
    return kind.name().charAt(0) + kind.name().substring(1).toLowerCase(java.util.Locale.ROOT) + "Pool2d(kernel "
        + kernel[0] + "x" + kernel[1] + ", stride " + stride[0] + "x" + stride[1] + ", padding " + padding[0] + "x"
        + padding[1] + ")";
  }
}
