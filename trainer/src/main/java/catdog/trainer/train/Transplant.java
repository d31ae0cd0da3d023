package catdog.trainer.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import catdog.trainer.export.TrainedLayers;
import catdog.trainer.export.TrainedLayers.Kind;
import catdog.trainer.export.TrainedLayers.Layer;
import catdog.trainer.nn.BatchNorm2d;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Starts a network from a trained one with the same layers, as wide or narrower (structured pruning). Where the
 * student has fewer channels, it keeps those whose batch-norm scale |γ| is largest (Liu et al., 2017, "network
 * slimming"): a channel batch norm scales towards zero carries little, and the next batch norm absorbs what
 * is left of it. Without a batch norm after it, a layer keeps its outputs with the largest L1 weight norm.
 * The next layer keeps the matching inputs, so the student computes a subset of the teacher's features and
 * fine-tuning only has to make up for what was dropped.
 */
final class Transplant {
  private static final int[] ONE = {0};

  private Transplant() {}

  /** Copies {@code model}'s weights into {@code student}; a layer sequence that differs, or a wider layer, throws. */
  static String apply(Block student, Path model) throws IOException {
    List<Block> layers = new ArrayList<>();
    collect(student, layers);
    List<Layer> trained = TrainedLayers.read(model);
    if (layers.size() != trained.size()) {
      throw new IllegalArgumentException(model + " has " + trained.size() + " layers with parameters, the student " + layers.size());
    }
    int[] keep = null; // channels of the previous layer's output kept; null: the image's, all of them
    int teacherChannels = -1;
    int pruned = 0;
    for (int i = 0; i < layers.size(); i++) {
      Block b = layers.get(i);
      Layer t = trained.get(i);
      Kind kind = b instanceof Conv2d ? Kind.CONV : b instanceof BatchNorm2d ? Kind.BATCH_NORM : Kind.LINEAR;
      if (kind != t.kind()) {
        throw new IllegalArgumentException("layer " + i + " is a " + kind + " in the student but " + t.name() + " is a " + t.kind());
      }
      switch (kind) {
        case BATCH_NORM -> {
          String[] names = {"gamma", "beta", "runningMean", "runningVar"};
          for (int k = 0; k < names.length; k++) {
            set(b, names[k], t, keep == null ? t.tensors().get(k) : slice(t.tensors().get(k), 1, 1, keep, ONE));
          }
        }
        case CONV, LINEAR -> {
          long[] shape = param(b, "weight").getArray().getShape().getShape();
          long[] tShape = t.shapes().get(0);
          int per = (int) Arrays.stream(shape).skip(2).reduce(1, (x, y) -> x * y);
          boolean grouped = kind == Kind.CONV && ((Conv2d) b).getGroups() != 1;
          if (kind == Kind.CONV && (shape[2] != tShape[2] || shape[3] != tShape[3])) {
            throw new IllegalArgumentException(t.name() + ": kernel " + Arrays.toString(tShape) + " cannot start " + Arrays.toString(shape));
          }
          if (grouped && (shape[0] != tShape[0] || keep != null && keep.length != teacherChannels)) {
            throw new IllegalArgumentException(t.name() + ": a grouped convolution is copied only at the same width, after an unpruned layer");
          }
          // A Linear after Flatten sees channel c as the features c*hw .. c*hw+hw-1.
          int hw = kind == Kind.LINEAR && keep != null ? (int) (tShape[1] / teacherChannels) : 1;
          int[] in = grouped || keep == null ? range((int) tShape[1]) : expand(keep, hw);
          if (in.length != shape[1]) {
            throw new IllegalArgumentException(t.name() + " keeps " + in.length + " inputs but the student's layer takes " + shape[1]);
          }
          if (shape[0] > tShape[0]) {
            throw new IllegalArgumentException(t.name() + " has " + tShape[0] + " outputs, fewer than the student's " + shape[0]);
          }
          int[] out = shape[0] == tShape[0] ? range((int) shape[0])
              : strongest((int) shape[0], importance(t, i + 1 < trained.size() ? trained.get(i + 1) : null, per * (int) tShape[1]));
          pruned += shape[0] == tShape[0] ? 0 : 1;
          set(b, "weight", t, slice(t.tensors().get(0), (int) tShape[1], per, out, in));
          if (b.getDirectParameters().contains("bias")) {
            set(b, "bias", t, slice(t.tensors().get(1), 1, 1, out, ONE));
          }
          keep = out;
          teacherChannels = (int) tShape[0];
        }
      }
    }
    return String.format("%d layers from %s, %d of them narrower", layers.size(), model.getFileName(), pruned);
  }

  private static void collect(Block block, List<Block> out) {
    if (block instanceof Conv2d || block instanceof BatchNorm2d || block instanceof Linear) {
      out.add(block);
    } else {
      block.getChildren().values().forEach(child -> collect(child, out));
    }
  }

  /** Per output: |γ| of the batch norm that follows, else the L1 norm of its weights. */
  private static double[] importance(Layer layer, Layer next, int per) {
    if (next != null && next.kind() == Kind.BATCH_NORM) {
      return IntStream.range(0, layer.outputs()).mapToDouble(o -> Math.abs(next.tensors().get(0)[o])).toArray();
    }
    float[] w = layer.tensors().get(0);
    return IntStream.range(0, layer.outputs()).mapToDouble(o -> IntStream.range(o * per, (o + 1) * per).mapToDouble(j -> Math.abs(w[j])).sum())
        .toArray();
  }

  /** The {@code n} most important indices, in their original order. */
  private static int[] strongest(int n, double[] importance) {
    return IntStream.range(0, importance.length).boxed().sorted(Comparator.comparingDouble((Integer o) -> -importance[o]))
        .limit(n).mapToInt(Integer::intValue).sorted().toArray();
  }

  private static int[] range(int n) {
    return IntStream.range(0, n).toArray();
  }

  private static int[] expand(int[] channels, int hw) {
    return Arrays.stream(channels).flatMap(c -> IntStream.range(c * hw, c * hw + hw)).toArray();
  }

  /** Rows {@code rows} of a [rows, inputs, per] tensor, each cut to the inputs {@code columns}. */
  private static float[] slice(float[] w, int inputs, int per, int[] rows, int[] columns) {
    float[] out = new float[rows.length * columns.length * per];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns.length; c++) {
        System.arraycopy(w, (rows[r] * inputs + columns[c]) * per, out, (r * columns.length + c) * per, per);
      }
    }
    return out;
  }

  private static Parameter param(Block b, String name) {
    return b.getDirectParameters().get(name);
  }

  private static void set(Block b, String name, Layer from, float[] values) {
    Parameter p = param(b, name);
    long size = p.getArray().getShape().size();
    if (size != values.length) {
      throw new IllegalArgumentException(from.name() + ": " + values.length + " values for the student's " + name + " of "
          + p.getArray().getShape());
    }
    p.getArray().set(FloatBuffer.wrap(values));
  }
}
