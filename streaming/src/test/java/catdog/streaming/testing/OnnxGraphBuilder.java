package catdog.streaming.testing;

import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.OperatorSetIdProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import catdog.protocol.onnx.OnnxMl.TensorShapeProto;
import catdog.protocol.onnx.OnnxMl.TypeProto;
import catdog.protocol.onnx.OnnxMl.ValueInfoProto;
import java.util.Map;
import java.util.Random;

/**
 * Appends ONNX nodes with seeded random weights. IR 8 and opset 13, because Debian's onnx checker accepts
 * nothing newer. A dimension of -1 becomes the symbolic batch dimension {@code N}.
 */
final class OnnxGraphBuilder {
  static final long IR_VERSION = 8;
  static final long OPSET = 13;

  private final GraphProto.Builder graph;
  private final Random random;
  private int counter;

  OnnxGraphBuilder(String name, long seed) {
    this.graph = GraphProto.newBuilder().setName(name);
    this.random = new Random(seed);
  }

  void input(String name, long... dims) {
    graph.addInput(valueInfo(name, dims));
  }

  void output(String name, long... dims) {
    graph.addOutput(valueInfo(name, dims));
  }

  /** Conv with He-initialised weights, stride 1 and no padding. */
  String conv(String in, int cin, int cout, int kernel) {
    String w = weights(new long[] {cout, cin, kernel, kernel}, cin * kernel * kernel);
    String b = weights(new long[] {cout}, 0);
    return node("Conv", new String[] {in, w, b}, ints("kernel_shape", kernel, kernel), ints("strides", 1, 1));
  }

  /** y = x·Wᵀ + b, the layout of DJL's Linear and PyTorch's nn.Linear. */
  String gemm(String in, int inFeatures, int outFeatures) {
    String w = weights(new long[] {outFeatures, inFeatures}, inFeatures);
    String b = weights(new long[] {outFeatures}, 0);
    return node("Gemm", new String[] {in, w, b}, intAttr("transB", 1));
  }

  /** Any node; its output gets a fresh name. */
  String op(String op, java.util.List<String> inputs, AttributeProto... attributes) {
    return node(op, inputs.toArray(new String[0]), attributes);
  }

  /** A float initializer with the given values. */
  String constant(long[] dims, float... values) {
    String name = "c" + counter++;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Gemm with the given weights ({@code out × in}, row-major) and biases. */
  String gemm(String in, float[] weights, float[] biases) {
    String w = constant(new long[] {biases.length, weights.length / biases.length}, weights);
    String b = constant(new long[] {biases.length}, biases);
    return node("Gemm", new String[] {in, w, b}, intAttr("transB", 1));
  }

  String relu(String in) {
    return node("Relu", new String[] {in});
  }

  String maxPool(String in) {
    return node("MaxPool", new String[] {in}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
  }

  String globalAveragePool(String in) {
    return node("GlobalAveragePool", new String[] {in});
  }

  String flatten(String in) {
    return node("Flatten", new String[] {in}, intAttr("axis", 1));
  }

  String gather(String in, int axis, long... indices) {
    String name = "indices" + counter++;
    graph.addInitializer(TensorProto.newBuilder().setName(name).addDims(indices.length)
        .setDataType(TensorProto.DataType.INT64_VALUE).addAllInt64Data(java.util.Arrays.stream(indices).boxed().toList()));
    return node("Gather", new String[] {in, name}, intAttr("axis", axis));
  }

  /** Writes {@code op(in)} into the named tensor, for the graph outputs. */
  void named(String op, String in, String out, AttributeProto... attributes) {
    graph.addNode(NodeProto.newBuilder().setOpType(op).setName(op + "_" + out).addInput(in).addOutput(out).addAllAttribute(java.util.List.of(attributes)));
  }

  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  ModelProto model(Map<String, String> metadata) {
    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("catdog-testmodels")
        .setGraph(graph);
    metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  private String node(String op, String[] inputs, AttributeProto... attributes) {
    String out = op.toLowerCase(java.util.Locale.ROOT) + counter++;
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
    for (String in : inputs) {
      node.addInput(in);
    }
    for (AttributeProto a : attributes) {
      node.addAttribute(a);
    }
    graph.addNode(node);
    return out;
  }

  /** Gaussian weights scaled by sqrt(2 / fanIn); a fan-in of 0 gives small biases. */
  private String weights(long[] dims, int fanIn) {
    String name = "w" + counter++;
    int size = 1;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
      size *= (int) d;
    }
    double scale = fanIn == 0 ? 0.1 : Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < size; i++) {
      t.addFloatData((float) (random.nextGaussian() * scale));
    }
    graph.addInitializer(t);
    return name;
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static ValueInfoProto valueInfo(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape).build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }
}
