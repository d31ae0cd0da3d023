package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import catdog.protocol.onnx.OnnxMl.TypeProto;
import catdog.protocol.onnx.OnnxMl.ValueInfoProto;
import catdog.streaming.inference.ModelInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training int8 quantisation of an exported classifier, in ONNX's own operators so that any ONNX
 * Runtime runs it: the input is quantised once, every convolution becomes a {@code QLinearConv} (uint8
 * activations, int8 weights per output channel, int32 bias), max pooling runs on the quantised values, and
 * whatever follows the last convolution (pooling to a vector, the linear layer, softmax) stays float.
 *
 * <p>Batch norm is folded into the convolution before it, and a ReLU after a convolution is absorbed by the
 * output's quantisation (zero point 0: negative values clamp to 0). Activation ranges come from running the
 * folded float graph on calibration images ({@link Calibrator}); the input and output stay float tensors
 * of the same names and shapes, so the service loads the result like any other model.
 */
public final class Quantizer {
  /** uint8 activations span 0..255. */
  private static final int QMAX_ACTIVATION = 255;
  /** Metadata: what the model was quantised from, and how. */
  public static final String QUANTIZED_FROM = "catdog.quantized.from";
  public static final String QUANTIZATION = "catdog.quantized.method";
  /** Metadata: the accuracy check {@code catdog quantize} passed, on its {@code --val} images. */
  public static final String VAL_ACCURACY = "catdog.quantized.val_accuracy";
  public static final String VAL_ACCURACY_FLOAT = "catdog.quantized.val_accuracy_float";

  private Quantizer() {}

  /** A calibrated value's observed range. */
  public record Range(float min, float max) {
    public Range {
      if (!(min <= max)) {
        throw new IllegalArgumentException("range [" + min + ", " + max + "]");
      }
    }

    Range union(float lo, float hi) {
      return new Range(Math.min(min, lo), Math.max(max, hi));
    }
  }

  /**
   * The float graph with batch norm folded, and the values whose ranges quantisation needs (the input and
   * each convolution's output, after its ReLU when it has one), in graph order.
   */
  public record Plan(ModelProto source, GraphProto folded, List<String> points) {
    /** The folded graph with every calibration point as an extra output, for {@link Calibrator}. */
    public ModelProto calibrationModel() {
      GraphProto.Builder g = folded.toBuilder();
      Set<String> outputs = new HashSet<>();
      folded.getOutputList().forEach(o -> outputs.add(o.getName()));
      for (String p : points) {
        if (!outputs.contains(p)) {
          g.addOutput(ValueInfoProto.newBuilder().setName(p).setType(TypeProto.newBuilder()
              .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
      }
      return source.toBuilder().setGraph(g).build();
    }
  }

  /** Folds batch norm and finds the calibration points of {@code model}, a graph {@link OnnxExporter} wrote. */
  public static Plan plan(ModelProto model) {
    Graph g = Graph.of(model.getGraph());
    GraphProto folded = g.foldBatchNorm();
    List<String> points = new ArrayList<>();
    Set<String> quantised = new HashSet<>();
    List<NodeProto> nodes = folded.getNodeList();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto n = nodes.get(i);
      if (n.getOpType().equals("Conv")) {
        if (!quantised.contains(n.getInput(0)) && !points.contains(n.getInput(0))) {
          points.add(n.getInput(0));
        }
        String out = groupOutput(nodes, i);
        points.add(out);
        quantised.add(out);
      } else if (n.getOpType().equals("MaxPool") && quantised.contains(n.getInput(0))) {
        quantised.add(n.getOutput(0));
      }
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException("the model has no convolution to quantise");
    }
    return new Plan(model, folded, List.copyOf(points));
  }

  /**
   * The quantised model: {@code ranges} must hold every point of {@code plan}; weights are quantised
   * symmetrically per output channel to {@code weightBits} (7 keeps u8×s8 pairs from saturating 16-bit sums
   * on CPUs without VNNI; 8 uses the full range).
   */
  public static ModelProto quantize(Plan plan, Map<String, Range> ranges, int weightBits, String method) {
    if (weightBits < 2 || weightBits > 8) {
      throw new IllegalArgumentException("weight bits must be 2..8, was " + weightBits);
    }
    for (String p : plan.points()) {
      if (!ranges.containsKey(p)) {
        throw new IllegalArgumentException("no calibrated range for " + p);
      }
    }
    GraphProto folded = plan.folded();
    Graph floats = Graph.of(folded);
    GraphBuilder out = new GraphBuilder(folded.getName());
    Set<String> inputs = new HashSet<>();
    for (ValueInfoProto in : folded.getInputList()) {
      out.graphInput(in);
      inputs.add(in.getName());
    }
    Map<String, QValue> quantised = new HashMap<>();
    Set<String> available = new HashSet<>(inputs);
    Set<String> usedInitializers = new HashSet<>();
    int qmaxWeight = (1 << (weightBits - 1)) - 1;
    List<NodeProto> nodes = folded.getNodeList();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto n = nodes.get(i);
      if (n.getOpType().equals("Conv")) {
        QValue x = quantised.computeIfAbsent(n.getInput(0), name -> quantiseInput(out, name, ranges.get(name)));
        boolean relu = reluFollows(nodes, i);
        String y = relu ? nodes.get(i + 1).getOutput(0) : n.getOutput(0);
        QValue q = activation(out, y, ranges.get(y), relu);
        qlinearConv(out, n, x, q, floats, qmaxWeight);
        quantised.put(y, q);
        i += relu ? 1 : 0;
      } else if (n.getOpType().equals("MaxPool") && quantised.containsKey(n.getInput(0)) && !available.contains(n.getInput(0))) {
        QValue x = quantised.get(n.getInput(0));
        String q = out.node("MaxPool", n.getName(), n.getOutput(0) + "_q", n.getAttributeList().toArray(new AttributeProto[0]), x.name());
        quantised.put(n.getOutput(0), new QValue(q, x.scale(), x.zeroPoint(), x.scaleValue()));
      } else {
        for (String in : n.getInputList()) {
          if (floats.initializers().containsKey(in)) {
            usedInitializers.add(in);
          } else if (!available.contains(in)) {
            QValue q = quantised.get(in);
            out.node("DequantizeLinear", in + "_dequantize", in, new AttributeProto[0], q.name(), q.scale(), q.zeroPoint());
            available.add(in);
          }
        }
        out.copy(n);
        available.add(n.getOutput(0));
      }
    }
    for (String name : usedInitializers) {
      out.initializer(floats.initializers().get(name));
    }
    for (ValueInfoProto o : folded.getOutputList()) {
      if (!available.contains(o.getName())) {
        throw new IllegalArgumentException("output " + o.getName() + " comes straight from a convolution; not supported");
      }
      out.graphOutput(o);
    }
    GraphProto g = out.build();
    Map<String, String> metadata = new LinkedHashMap<>();
    plan.source().getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));
    String from = metadata.getOrDefault(ModelInfo.NAME, "?") + "@" + metadata.getOrDefault(ModelInfo.VERSION, "?");
    metadata.put(ModelInfo.VERSION, OnnxExporter.version(g));
    metadata.put(QUANTIZED_FROM, from);
    metadata.put(QUANTIZATION, method);
    ModelProto.Builder m = plan.source().toBuilder().setGraph(g).clearMetadataProps()
        .setDocString(plan.source().getDocString() + " (int8)");
    metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  /** A quantised value: its uint8 tensor, the names of its scale and zero point, and the scale itself. */
  private record QValue(String name, String scale, String zeroPoint, float scaleValue) {}

  private static QValue quantiseInput(GraphBuilder out, String name, Range r) {
    QValue q = activation(out, name + "_input", r, false);
    out.node("QuantizeLinear", name + "_quantize", q.name(), new AttributeProto[0], name, q.scale(), q.zeroPoint());
    return q;
  }

  /** Scale and zero point of a uint8 activation over {@code r}; a ReLU output has zero point 0. */
  private static QValue activation(GraphBuilder out, String name, Range r, boolean relu) {
    float lo = relu ? 0 : Math.min(r.min(), 0);
    float hi = Math.max(r.max(), 0);
    float scale = hi > lo ? (hi - lo) / QMAX_ACTIVATION : 1f;
    int zp = relu ? 0 : (int) Math.max(0, Math.min(QMAX_ACTIVATION, Math.rint(-lo / scale)));
    String s = out.initializer(name + "_scale", new long[0], new float[] {scale});
    String z = out.initializer(name + "_zero_point", new long[0], TensorProto.DataType.UINT8, new byte[] {(byte) zp});
    return new QValue(name + "_q", s, z, scale);
  }

  private static void qlinearConv(GraphBuilder out, NodeProto conv, QValue x, QValue y, Graph floats, int qmax) {
    TensorProto wt = floats.initializers().get(conv.getInput(1));
    float[] w = Graph.floats(wt);
    int channels = (int) wt.getDims(0);
    int per = w.length / channels;
    float[] bias = conv.getInputCount() > 2 ? Graph.floats(floats.initializers().get(conv.getInput(2))) : new float[channels];
    byte[] wq = new byte[w.length];
    float[] wScale = new float[channels];
    ByteBuffer bq = ByteBuffer.allocate(channels * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < channels; c++) {
      float absMax = 0;
      for (int k = c * per; k < (c + 1) * per; k++) {
        absMax = Math.max(absMax, Math.abs(w[k]));
      }
      wScale[c] = absMax > 0 ? absMax / qmax : 1f;
      for (int k = c * per; k < (c + 1) * per; k++) {
        wq[k] = (byte) Math.max(-qmax, Math.min(qmax, Math.rint(w[k] / wScale[c])));
      }
      bq.putInt((int) Math.rint(bias[c] / ((double) x.scaleValue() * wScale[c])));
    }
    String name = conv.getName();
    long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
    String wName = out.initializer(name + "_weight_q", dims, TensorProto.DataType.INT8, wq);
    String wScaleName = out.initializer(name + "_weight_scale", new long[] {channels}, wScale);
    String wZero = out.initializer(name + "_weight_zero_point", new long[] {channels}, TensorProto.DataType.INT8, new byte[channels]);
    String bName = out.initializer(name + "_bias_q", new long[] {channels}, TensorProto.DataType.INT32, bq.array());
    out.node("QLinearConv", name, y.name(), conv.getAttributeList().toArray(new AttributeProto[0]),
        x.name(), x.scale(), x.zeroPoint(), wName, wScaleName, wZero, y.scale(), y.zeroPoint(), bName);
  }

  private static boolean reluFollows(List<NodeProto> nodes, int conv) {
    return conv + 1 < nodes.size() && nodes.get(conv + 1).getOpType().equals("Relu")
        && nodes.get(conv + 1).getInput(0).equals(nodes.get(conv).getOutput(0))
        && consumers(nodes, nodes.get(conv).getOutput(0)) == 1;
  }

  private static String groupOutput(List<NodeProto> nodes, int conv) {
    return reluFollows(nodes, conv) ? nodes.get(conv + 1).getOutput(0) : nodes.get(conv).getOutput(0);
  }

  static int consumers(List<NodeProto> nodes, String value) {
    int n = 0;
    for (NodeProto node : nodes) {
      n += (int) node.getInputList().stream().filter(value::equals).count();
    }
    return n;
  }

}
