package catdog.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Keeps the batch axis and flattens the rest in C-order: [N, C, H, W] → [N, C·H·W], like ONNX Flatten(axis=1). */
public final class Flatten extends AbstractBlock {

  public Flatten() {
    super();
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    var x = inputs.singletonOrThrow();
    return new NDList(x.reshape(x.getShape().get(0), -1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.slice(1).size())};
  }

  @Override
  public String toString() {
    return "Flatten()";
  }
}
