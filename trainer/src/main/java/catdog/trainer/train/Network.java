package catdog.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import catdog.trainer.model.ModelSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A model's block with its parameters on the PyTorch engine, and the spec that built it. */
public final class Network implements AutoCloseable {
  /** How weights start; biases start at zero and batch norm at identity whatever is chosen. */
  public enum Init {
    XAVIER, KAIMING, NORMAL;

    Initializer initializer() {
      return switch (this) {
        case XAVIER -> new XavierInitializer();
        case KAIMING -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
        case NORMAL -> new NormalInitializer(0.01f);
      };
    }

    public static Init parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  private final ModelSpec spec;
  private final SequentialBlock block;
  private final NDManager manager;
  private final ParameterStore store;

  private Network(ModelSpec spec, SequentialBlock block, NDManager manager) {
    this.spec = spec;
    this.block = block;
    this.manager = manager;
    this.store = new ParameterStore(manager, false);
  }

  /** A freshly initialised network; the engine's random seed must be set before for a reproducible start. */
  public static Network create(ModelSpec spec, Init init) {
    NDManager manager = NDManager.newBaseManager();
    SequentialBlock block = spec.newBlock();
    block.setInitializer(init.initializer(), Parameter.Type.WEIGHT);
    block.initialize(manager, DataType.FLOAT32, spec.inputShape());
    return new Network(spec, block, manager);
  }

  /**
   * Loads a trained network from a training output directory (its final parameters, else its last
   * checkpoint) or from a checkpoint file.
   */
  public static Network load(Path dirOrFile) throws IOException {
    Path file = Files.isDirectory(dirOrFile) ? Checkpoints.latestModel(dirOrFile) : dirOrFile;
    NDManager scratch = NDManager.newBaseManager();
    try {
      Checkpoint ckpt = Checkpoint.read(file, scratch);
      Network net = create(ModelSpec.require(ckpt.model()), Init.XAVIER);
      ckpt.loadInto(net.block);
      return net;
    } finally {
      scratch.close();
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public SequentialBlock block() {
    return block;
  }

  public NDManager manager() {
    return manager;
  }

  /** Logits [n, classes] for {@code n} CHW tensors packed in {@code batch}, attached to {@code scope}. */
  public NDArray logits(NDManager scope, float[] batch, int n, boolean training) {
    Shape in = spec.inputShape();
    NDArray x = scope.create(FloatBuffer.wrap(batch, 0, n * (int) (in.size())), new Shape(n, in.get(1), in.get(2), in.get(3)));
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  /** Softmax probabilities, one row per image: what the exported graph outputs. */
  public float[][] probabilities(float[] batch, int n) {
    try (NDManager scope = manager.newSubManager()) {
      float[] flat = logits(scope, batch, n, false).softmax(1).toFloatArray();
      int k = spec.classes();
      float[][] out = new float[n][k];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * k, out[i], 0, k);
      }
      return out;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
