package catdog.trainer.export;

import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.NodeProto;
import catdog.protocol.onnx.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained layers of an exported float model, in graph order, for starting another network from them
 * ({@code train --init-from}). Only the layers with parameters count: Conv, BatchNormalization and Gemm.
 */
public final class TrainedLayers {
  /** What a layer computes; its tensors come in the order DJL's block declares them. */
  public enum Kind {
    /** weight [out, in / groups, kh, kw], then the bias when there is one. */
    CONV,
    /** gamma, beta, running mean, running variance: one value per channel each. */
    BATCH_NORM,
    /** weight [out, in] (Gemm with transB), then the bias. */
    LINEAR
  }

  /** One layer: its node name, kind, and parameter tensors with their shapes. */
  public record Layer(String name, Kind kind, List<float[]> tensors, List<long[]> shapes) {
    public int outputs() {
      return (int) shapes.get(0)[0];
    }
  }

  private TrainedLayers() {}

  /** The layers of {@code file}; an int8 model, or a node this reader does not know to hold parameters, is refused. */
  public static List<Layer> read(Path file) throws IOException {
    Graph graph = Graph.of(ModelProto.parseFrom(Files.readAllBytes(file)).getGraph());
    List<Layer> layers = new ArrayList<>();
    for (NodeProto n : graph.proto().getNodeList()) {
      Kind kind = switch (n.getOpType()) {
        case "Conv" -> Kind.CONV;
        case "BatchNormalization" -> Kind.BATCH_NORM;
        case "Gemm" -> Kind.LINEAR;
        case "Relu", "Sigmoid", "MaxPool", "AveragePool", "Flatten", "Softmax", "Identity" -> null;
        default -> throw new IOException(file + ": node " + n.getName() + " (" + n.getOpType()
            + ") is not a layer of a float model exported by the trainer");
      };
      if (kind == Kind.LINEAR && n.getAttributeList().stream().noneMatch(a -> a.getName().equals("transB") && a.getI() == 1)) {
        throw new IOException(file + ": Gemm " + n.getName() + " without transB is not an exported Linear");
      }
      if (kind != null) {
        List<float[]> tensors = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (String input : n.getInputList().subList(1, n.getInputCount())) {
          TensorProto t = graph.initializers().get(input);
          if (t == null) {
            throw new IOException(file + ": " + n.getName() + "'s input " + input + " is not an initializer");
          }
          tensors.add(Graph.floats(t));
          shapes.add(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        }
        layers.add(new Layer(n.getName(), kind, tensors, shapes));
      }
    }
    return layers;
  }
}
