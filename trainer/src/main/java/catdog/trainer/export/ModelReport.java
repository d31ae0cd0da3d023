package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import catdog.protocol.onnx.OnnxMl.TensorShapeProto;
import catdog.protocol.onnx.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an ONNX model file says about itself, for {@code catdog inspect}: metadata, inputs and outputs, op
 * counts, parameter count and FLOPs per image.
 *
 * @param metadata {@code metadata_props} in file order
 * @param inputs graph inputs as {@code name float[N,3,128,128]}
 * @param outputs graph outputs, same form
 * @param ops how many nodes of each op type, by op name
 * @param parameters learnable values: every initializer element except batch norm's running statistics and the
 *     scales and zero points of quantised values
 * @param storedValues every initializer element
 * @param flops FLOPs per image, when every op is one the estimate knows
 */
public record ModelReport(long irVersion, long opset, Map<String, String> metadata, List<String> inputs, List<String> outputs,
    Map<String, Integer> ops, long parameters, long storedValues, OptionalLong flops) {

  public static ModelReport read(Path file) throws IOException {
    return of(ModelProto.parseFrom(Files.readAllBytes(file)));
  }

  public static ModelReport of(ModelProto model) {
    GraphProto g = model.getGraph();
    Map<String, String> meta = new LinkedHashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      meta.put(e.getKey(), e.getValue());
    }
    Map<String, Integer> ops = new TreeMap<>();
    Set<String> statistics = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      ops.merge(n.getOpType(), 1, Integer::sum);
      if (n.getOpType().equals("BatchNormalization") && n.getInputCount() == 5) {
        statistics.add(n.getInput(3));
        statistics.add(n.getInput(4));
      }
      // Scales and zero points describe how values are stored, not what was learnt.
      int[] encoding = switch (n.getOpType()) {
        case "QuantizeLinear", "DequantizeLinear" -> new int[] {1, 2};
        case "QLinearConv" -> new int[] {1, 2, 4, 5, 6, 7};
        default -> new int[0];
      };
      for (int i : encoding) {
        statistics.add(n.getInput(i));
      }
    }
    long stored = 0;
    long learnable = 0;
    for (TensorProto t : g.getInitializerList()) {
      long count = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
      stored += count;
      learnable += statistics.contains(t.getName()) ? 0 : count;
    }
    long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).mapToLong(o -> o.getVersion()).findFirst().orElse(0);
    return new ModelReport(model.getIrVersion(), opset, meta, describe(g.getInputList()), describe(g.getOutputList()), ops, learnable,
        stored, GraphCost.flops(g));
  }

  /** The report as {@code catdog inspect} prints it. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "ONNX IR %d, opset %d%n", irVersion, opset));
    out.append("metadata:\n");
    metadata.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(v).append('\n'));
    out.append("inputs:\n");
    inputs.forEach(i -> out.append("  ").append(i).append('\n'));
    out.append("outputs:\n");
    outputs.forEach(o -> out.append("  ").append(o).append('\n'));
    out.append("ops: ").append(ops.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
        .append('\n');
    out.append(String.format(Locale.ROOT, "parameters: %,d learnable (%,d stored values)%n", parameters, storedValues));
    out.append(flops.isPresent() ? String.format(Locale.ROOT, "MFLOPs per image: %.2f%n", flops.getAsLong() / 1e6)
        : "MFLOPs per image: unknown (an op outside the exporter's set)\n");
    return out.toString();
  }

  private static List<String> describe(List<ValueInfoProto> values) {
    return values.stream().map(v -> v.getName() + " " + type(v)).toList();
  }

  private static String type(ValueInfoProto v) {
    var t = v.getType().getTensorType();
    String elem = t.getElemType() == TensorProto.DataType.FLOAT_VALUE ? "float" : "type" + t.getElemType();
    return elem + t.getShape().getDimList().stream()
        .map(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM ? d.getDimParam() : Long.toString(d.getDimValue()))
        .collect(Collectors.joining(",", "[", "]"));
  }
}
