package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A float graph read back for rewriting: its initializers by name, and batch-norm folding. */
record Graph(GraphProto proto, Map<String, TensorProto> initializers) {

  static Graph of(GraphProto proto) {
    Map<String, TensorProto> init = new LinkedHashMap<>();
    proto.getInitializerList().forEach(t -> init.put(t.getName(), t));
    return new Graph(proto, init);
  }

  /** A float32 tensor's values, from {@code raw_data} (little-endian) or {@code float_data}. */
  static float[] floats(TensorProto t) {
    if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      throw new IllegalArgumentException(t.getName() + " is not float32");
    }
    if (!t.getRawData().isEmpty()) {
      float[] v = new float[t.getRawData().size() / Float.BYTES];
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      return v;
    }
    float[] v = new float[t.getFloatDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getFloatData(i);
    }
    return v;
  }

  /**
   * The same graph with every Conv → BatchNormalization pair (the convolution's output used by the batch norm
   * alone) replaced by one Conv with scaled weights and a bias: y = γ(Wx + b − μ)/√(σ² + ε) + β. The folded
   * convolution produces the batch norm's output name, so the rest of the graph is unchanged.
   */
  GraphProto foldBatchNorm() {
    List<NodeProto> nodes = proto.getNodeList();
    GraphProto.Builder out = proto.toBuilder().clearNode().clearInitializer();
    Map<String, TensorProto> tensors = new LinkedHashMap<>(initializers);
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto n = nodes.get(i);
      boolean foldable = n.getOpType().equals("Conv") && i + 1 < nodes.size()
          && nodes.get(i + 1).getOpType().equals("BatchNormalization")
          && nodes.get(i + 1).getInput(0).equals(n.getOutput(0))
          && Quantizer.consumers(nodes, n.getOutput(0)) == 1;
      if (!foldable) {
        out.addNode(n);
        continue;
      }
      NodeProto bn = nodes.get(i + 1);
      float[] w = floats(initializers.get(n.getInput(1)));
      float[] gamma = floats(initializers.get(bn.getInput(1)));
      float[] beta = floats(initializers.get(bn.getInput(2)));
      float[] mean = floats(initializers.get(bn.getInput(3)));
      float[] var = floats(initializers.get(bn.getInput(4)));
      float eps = epsilon(bn);
      int channels = gamma.length;
      float[] b = n.getInputCount() > 2 ? floats(initializers.get(n.getInput(2))) : new float[channels];
      int per = w.length / channels;
      float[] wf = new float[w.length];
      float[] bf = new float[channels];
      for (int c = 0; c < channels; c++) {
        double k = gamma[c] / Math.sqrt(var[c] + (double) eps);
        for (int j = c * per; j < (c + 1) * per; j++) {
          wf[j] = (float) (w[j] * k);
        }
        bf[c] = (float) ((b[c] - mean[c]) * k + beta[c]);
      }
      String wName = n.getName() + "_weight_folded";
      String bName = n.getName() + "_bias_folded";
      long[] wDims = initializers.get(n.getInput(1)).getDimsList().stream().mapToLong(Long::longValue).toArray();
      tensors.put(wName, GraphBuilder.floatTensor(wName, wDims, wf));
      tensors.put(bName, GraphBuilder.floatTensor(bName, new long[] {channels}, bf));
      out.addNode(n.toBuilder().clearInput().addInput(n.getInput(0)).addInput(wName).addInput(bName)
          .setOutput(0, bn.getOutput(0)));
      i++;
    }
    Set<String> used = new HashSet<>();
    out.getNodeList().forEach(node -> used.addAll(node.getInputList()));
    tensors.values().stream().filter(t -> used.contains(t.getName())).forEach(out::addInitializer);
    return out.build();
  }

  private static float epsilon(NodeProto bn) {
    for (AttributeProto a : bn.getAttributeList()) {
      if (a.getName().equals("epsilon")) {
        return a.getF();
      }
    }
    return 1e-5f; // ONNX's default
  }
}
