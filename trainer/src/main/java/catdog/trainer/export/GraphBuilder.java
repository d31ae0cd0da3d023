package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import catdog.protocol.onnx.OnnxMl.TensorShapeProto;
import catdog.protocol.onnx.OnnxMl.TypeProto;
import catdog.protocol.onnx.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/** Accumulates the nodes and initializers of one ONNX graph, refusing duplicate names. */
final class GraphBuilder {
  /** The symbolic batch dimension of inputs and outputs. */
  static final String BATCH = "N";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();

  GraphBuilder(String name) {
    graph.setName(name);
  }

  /** Adds a float32 initializer, stored little-endian in {@code raw_data} as the ONNX spec requires. */
  String initializer(String name, long[] dims, float[] values) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalStateException(name + ": " + values.length + " values for dims of " + count);
    }
    initializer(floatTensor(name, dims, values));
    return name;
  }

  /** A float32 tensor, little-endian in {@code raw_data}. */
  static TensorProto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** Adds an initializer of any element type from its little-endian bytes. */
  String initializer(String name, long[] dims, TensorProto.DataType type, byte[] raw) {
    claim(name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds a node producing one output called {@code output}; returns the output's name. */
  String node(String opType, String name, String output, AttributeProto[] attributes, String... inputs) {
    claim(output);
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(output);
    for (String in : inputs) {
      n.addInput(in);
    }
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return output;
  }

  /**
   * Makes the value {@code from} be called {@code to}: the node producing it is renamed, or, when {@code from}
   * is a graph input, an Identity node is added.
   */
  String rename(String from, String to) {
    for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
      NodeProto n = graph.getNode(i);
      if (n.getOutputCount() == 1 && n.getOutput(0).equals(from)) {
        claim(to);
        graph.setNode(i, n.toBuilder().setOutput(0, to));
        names.remove(from);
        return to;
      }
    }
    return node("Identity", to, to, new AttributeProto[0], from);
  }

  /** Adds an initializer as it is. */
  void initializer(TensorProto t) {
    claim(t.getName());
    graph.addInitializer(t);
  }

  /** Adds a copy of another graph's node. */
  void copy(NodeProto node) {
    node.getOutputList().forEach(this::claim);
    graph.addNode(node);
  }

  void graphInput(ValueInfoProto in) {
    claim(in.getName());
    graph.addInput(in);
  }

  void graphOutput(ValueInfoProto out) {
    graph.addOutput(out);
  }

  void input(String name, long... dimsAfterBatch) {
    claim(name);
    graph.addInput(floatTensor(name, dimsAfterBatch));
  }

  void output(String name, long... dimsAfterBatch) {
    graph.addOutput(floatTensor(name, dimsAfterBatch));
  }

  GraphProto build() {
    return graph.build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("duplicate ONNX value name " + name);
    }
  }

  private static ValueInfoProto floatTensor(String name, long... dimsAfterBatch) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (long d : dimsAfterBatch) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
  }
}
