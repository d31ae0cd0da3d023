package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import catdog.protocol.onnx.OnnxMl.TensorShapeProto;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * FLOPs per image of an exported graph, by propagating shapes through the ops the exporter writes. Counts as
 * {@link catdog.trainer.model.ModelCost} does (2 per multiply-accumulate, 2 per batch-norm element, 1 per
 * activation element, one per pooling window element; softmax not counted), so both agree on a model. An int8
 * convolution counts as its float one; converting to and from int8 is not counted.
 */
final class GraphCost {
  private GraphCost() {}

  /** Empty when the graph holds an op this estimate does not know. */
  static OptionalLong flops(GraphProto graph) {
    Map<String, long[]> shapes = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }
    for (var in : graph.getInputList()) {
      if (!shapes.containsKey(in.getName())) {
        shapes.put(in.getName(), in.getType().getTensorType().getShape().getDimList().stream()
            .mapToLong(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_VALUE ? d.getDimValue() : 1).toArray());
      }
    }
    long total = 0;
    for (NodeProto n : graph.getNodeList()) {
      long[] x = shapes.get(n.getInput(0));
      if (x == null) {
        return OptionalLong.empty();
      }
      long[] y;
      switch (n.getOpType()) {
        case "Conv" -> {
          long[] w = shapes.get(n.getInput(1));
          y = window(x, n, w[0], new long[] {w[2], w[3]});
          total += 2 * elements(y) * w[1] * w[2] * w[3];
        }
        case "QLinearConv" -> {
          long[] w = shapes.get(n.getInput(3));
          y = window(x, n, w[0], new long[] {w[2], w[3]});
          total += 2 * elements(y) * w[1] * w[2] * w[3];
        }
        case "MaxPool", "AveragePool" -> {
          long[] k = ints(n, "kernel_shape", 1, 1);
          y = window(x, n, x[1], k);
          total += elements(y) * k[0] * k[1];
        }
        case "BatchNormalization" -> {
          y = x;
          total += 2 * elements(y);
        }
        case "Relu", "Sigmoid" -> {
          y = x;
          total += elements(y);
        }
        case "Softmax", "Identity", "QuantizeLinear", "DequantizeLinear" -> y = x;
        case "Flatten" -> y = new long[] {x[0], elements(x) / x[0]};
        case "Gemm" -> {
          long[] w = shapes.get(n.getInput(1));
          y = new long[] {x[0], w[0]};
          total += 2 * w[0] * w[1];
        }
        default -> {
          return OptionalLong.empty();
        }
      }
      shapes.put(n.getOutput(0), y);
    }
    return OptionalLong.of(total);
  }

  /** The NCHW output of a sliding window over {@code x} with {@code channels} outputs. */
  private static long[] window(long[] x, NodeProto n, long channels, long[] k) {
    long[] s = ints(n, "strides", 1, 1);
    long[] p = ints(n, "pads", 0, 0, 0, 0);
    long[] d = ints(n, "dilations", 1, 1);
    long h = Math.floorDiv(x[2] + p[0] + p[2] - d[0] * (k[0] - 1) - 1, s[0]) + 1;
    long w = Math.floorDiv(x[3] + p[1] + p[3] - d[1] * (k[1] - 1) - 1, s[1]) + 1;
    return new long[] {x[0], channels, h, w};
  }

  private static long[] ints(NodeProto n, String name, long... fallback) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
      }
    }
    return fallback;
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
