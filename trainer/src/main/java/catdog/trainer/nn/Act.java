package catdog.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** An element-wise activation whose kind can be read back. */
public final class Act extends AbstractBlock {
  /** The supported activations; each maps to one ONNX operator. */
  public enum Kind { RELU, SIGMOID }

  private final Kind kind;

  private Act(Kind kind) {
    this.kind = kind;
  }

  public static Act relu() {
    return new Act(Kind.RELU);
  }

  public static Act sigmoid() {
    return new Act(Kind.SIGMOID);
  }

  public Kind kind() {
    return kind;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(kind == Kind.RELU ? Activation.relu(inputs.singletonOrThrow()) : Activation.sigmoid(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  public String toString() {
    return kind == Kind.RELU ? "ReLU()" : "Sigmoid()";
  }
}
