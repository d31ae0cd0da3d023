package catdog.trainer.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;

/**
 * Stands in for training: seeded weights, and batch-norm statistics and affine terms set to values far from
 * their identity defaults, so an exporter that dropped or misordered them would show.
 */
final class Trained {
  private Trained() {}

  static <B extends Block> B initialise(NDManager manager, B block, Shape inputShape, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    block.initialize(manager, DataType.FLOAT32, inputShape);
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      switch (p.getValue().getType()) {
        case BIAS, BETA, RUNNING_MEAN -> a.set(manager.randomUniform(-0.3f, 0.3f, a.getShape()).toFloatArray());
        case GAMMA, RUNNING_VAR -> a.set(manager.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
        default -> { }
      }
    }
    return block;
  }

  /** Inference-mode forward of {@code n} images packed CHW in {@code input}. */
  static float[] forward(NDManager manager, Block block, float[] input, long... shape) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(FloatBuffer.wrap(input), new Shape(shape));
      return block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }
  }

  static float[] softmaxRows(NDManager manager, float[] logits, int rows) {
    try (NDManager scope = manager.newSubManager()) {
      return scope.create(logits, new Shape(rows, logits.length / rows)).softmax(1).toFloatArray();
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  static float maxAbs(float[] a) {
    float max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  static int[] argmaxRows(float[] values, int rows) {
    int cols = values.length / rows;
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 1; c < cols; c++) {
        if (values[r * cols + c] > values[r * cols + out[r]]) {
          out[r] = c;
        }
      }
    }
    return out;
  }
}
