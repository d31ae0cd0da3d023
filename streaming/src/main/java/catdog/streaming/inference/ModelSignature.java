package catdog.streaming.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Checks a session's inputs and outputs against the graph contract and the model's own metadata. */
final class ModelSignature {
  private ModelSignature() {}

  /** Why the graph does not fit, or empty when it does. */
  static Optional<String> mismatch(ModelInfo info, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
    if (inputs.size() != 1 || !inputs.containsKey(ModelInfo.INPUT)) {
      return Optional.of("the model's inputs are " + inputs.keySet() + "; expected exactly one named '" + ModelInfo.INPUT + "'");
    }
    Preprocessing p = info.preprocessing();
    Optional<String> in = tensor(inputs.get(ModelInfo.INPUT), new long[] {-1, p.channels(), p.height(), p.width()});
    if (in.isPresent()) {
      return Optional.of("input '" + ModelInfo.INPUT + "' " + in.get() + " (metadata says " + p.shortForm() + ")");
    }
    if (!outputs.containsKey(ModelInfo.OUTPUT)) {
      return Optional.of("the model's outputs are " + outputs.keySet() + "; expected one named '" + ModelInfo.OUTPUT + "'");
    }
    Optional<String> out = tensor(outputs.get(ModelInfo.OUTPUT), new long[] {-1, info.labels().size()});
    return out.map(reason -> "output '" + ModelInfo.OUTPUT + "' " + reason + " (metadata has " + info.labels().size() + " labels "
        + info.labels() + ")");
  }

  /**
   * Compares a float tensor's shape with the expected one; -1 expected means the dimension must be dynamic
   * (the batch), and a dynamic dimension in the model is accepted anywhere else.
   */
  private static Optional<String> tensor(NodeInfo node, long[] expected) {
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      return Optional.of("is " + node.getInfo() + ", not a float32 tensor");
    }
    long[] shape = t.getShape();
    String want = Arrays.toString(expected).replace("-1", "N");
    if (shape.length != expected.length) {
      return Optional.of("has shape " + Arrays.toString(shape) + ", expected " + want);
    }
    if (shape[0] != -1) {
      return Optional.of("has a fixed batch dimension " + shape[0] + "; the batch dimension must be dynamic, " + want);
    }
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] != -1 && shape[i] != expected[i]) {
        return Optional.of("has shape " + Arrays.toString(shape).replace("-1", "N") + ", expected " + want);
      }
    }
    return Optional.empty();
  }
}
