package catdog.trainer.export;

import static catdog.trainer.export.GraphBuilder.integer;
import static catdog.trainer.export.GraphBuilder.ints;
import static catdog.trainer.export.GraphBuilder.real;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;
import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.trainer.nn.Act;
import catdog.trainer.nn.BatchNorm2d;
import catdog.trainer.nn.Flatten;
import catdog.trainer.nn.Pool2d;

/**
 * Translates DJL blocks, one layer at a time, into ONNX nodes in inference form. Values and initializers
 * take the DJL path of their layer ({@code 01Conv2d}, {@code 01Conv2d_weight}), so a graph reads like the
 * block it came from.
 */
final class LayerTranslator {
  /** A value flowing through the graph and its shape with a batch of one. */
  record Value(String name, Shape shape) {}

  private static final AttributeProto[] NONE = new AttributeProto[0];

  private final GraphBuilder graph;

  LayerTranslator(GraphBuilder graph) {
    this.graph = graph;
  }

  Value translate(String path, Block block, Value in) {
    if (block instanceof SequentialBlock seq) {
      Value v = in;
      for (Pair<String, Block> child : seq.getChildren()) {
        v = translate(path.isEmpty() ? child.getKey() : path + "_" + child.getKey(), child.getValue(), v);
      }
      return v;
    }
    Shape out = block.getOutputShapes(new Shape[] {in.shape()})[0];
    if (block instanceof Dropout) {
      return in; // identity at inference
    }
    String name = path;
    if (block instanceof Conv2d conv) {
      return new Value(conv(path, conv, in), out);
    }
    if (block instanceof Linear) {
      if (in.shape().dimension() != 2) {
        throw new UnsupportedBlockException("layer " + path + " (Linear) gets a " + in.shape().dimension()
            + "-D input " + in.shape() + "; put a catdog.trainer.nn.Flatten before it");
      }
      String w = graph.initializer(path + "_weight", dims(param(block, path, "weight")), floats(param(block, path, "weight")));
      String[] inputs = block.getDirectParameters().contains("bias")
          ? new String[] {in.name(), w, graph.initializer(path + "_bias", dims(param(block, path, "bias")), floats(param(block, path, "bias")))}
          : new String[] {in.name(), w};
      // DJL's Linear is y = x·Wᵀ + b with W stored (out, in): Gemm with transB.
      return new Value(graph.node("Gemm", name, name, new AttributeProto[] {integer("transB", 1)}, inputs), out);
    }
    if (block instanceof BatchNorm2d bn) {
      String[] inputs = {in.name(), tensor(bn, path, "gamma"), tensor(bn, path, "beta"), tensor(bn, path, "runningMean"),
          tensor(bn, path, "runningVar")};
      return new Value(graph.node("BatchNormalization", name, name,
          new AttributeProto[] {real("epsilon", bn.epsilon()), real("momentum", bn.momentum())}, inputs), out);
    }
    if (block instanceof Act act) {
      return new Value(graph.node(act.kind() == Act.Kind.RELU ? "Relu" : "Sigmoid", name, name, NONE, in.name()), out);
    }
    if (block instanceof Pool2d pool) {
      int[] k = pool.kernel();
      int[] s = pool.stride();
      int[] p = pool.padding();
      AttributeProto[] common = {ints("kernel_shape", k[0], k[1]), ints("strides", s[0], s[1]), ints("pads", p[0], p[1], p[0], p[1])};
      if (pool.kind() == Pool2d.Kind.MAX) {
        return new Value(graph.node("MaxPool", name, name, common, in.name()), out);
      }
      AttributeProto[] avg = {common[0], common[1], common[2], integer("count_include_pad", 1)};
      return new Value(graph.node("AveragePool", name, name, avg, in.name()), out);
    }
    if (block instanceof Flatten) {
      return new Value(graph.node("Flatten", name, name, new AttributeProto[] {integer("axis", 1)}, in.name()), out);
    }
    throw new UnsupportedBlockException(unsupported(path, block));
  }

  private String conv(String path, Conv2d conv, Value in) {
    Shape k = conv.getKernelShape();
    Shape s = conv.getStride();
    Shape p = conv.getPadding();
    Shape d = conv.getDilation();
    String w = tensor(conv, path, "weight");
    AttributeProto[] attrs = {
        ints("kernel_shape", k.get(0), k.get(1)),
        ints("strides", s.get(0), s.get(1)),
        ints("pads", p.get(0), p.get(1), p.get(0), p.get(1)),
        ints("dilations", d.get(0), d.get(1)),
        integer("group", conv.getGroups())};
    String[] inputs = conv.isIncludeBias() ? new String[] {in.name(), w, tensor(conv, path, "bias")} : new String[] {in.name(), w};
    return graph.node("Conv", path, path, attrs, inputs);
  }

  private String tensor(Block block, String path, String param) {
    Parameter p = param(block, path, param);
    return graph.initializer(path + "_" + param, dims(p), floats(p));
  }

  private static Parameter param(Block block, String path, String name) {
    Parameter p = block.getDirectParameters().get(name);
    if (p == null || !p.isInitialized()) {
      throw new IllegalArgumentException("layer " + path + " has no initialised parameter '" + name + "': export a trained block");
    }
    return p;
  }

  private static long[] dims(Parameter p) {
    return p.getArray().getShape().getShape();
  }

  private static float[] floats(Parameter p) {
    return p.getArray().toFloatArray();
  }

  private static String unsupported(String path, Block block) {
    String hint;
    if (block instanceof LambdaBlock lambda) {
      hint = "a DJL LambdaBlock ('" + lambda.getName() + "') hides what it computes; build the model from "
          + "catdog.trainer.nn (Pool2d, Act, Flatten)";
    } else if (block instanceof BatchNorm) {
      hint = "DJL's BatchNorm keeps its epsilon private; use catdog.trainer.nn.BatchNorm2d";
    } else {
      hint = "the exporter knows Conv2d, Linear, Dropout, SequentialBlock and catdog.trainer.nn's Pool2d, Act, Flatten, BatchNorm2d";
    }
    return "cannot export layer " + path + " (" + block.getClass().getName() + "): " + hint;
  }
}
