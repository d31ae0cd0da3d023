package catdog.trainer.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import catdog.protocol.onnx.OnnxMl.AttributeProto;
import catdog.protocol.onnx.OnnxMl.GraphProto;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.OperatorSetIdProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.streaming.inference.ModelInfo;
import catdog.trainer.model.ModelSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a trained DJL network into an ONNX model that ONNX Runtime runs to the same numbers.
 *
 * <p>The classifier graph: input {@code image} float32 [N, C, H, W] (N dynamic) → the network's layers →
 * {@code logits} [N, classes] → Softmax(axis 1) → {@code probabilities} [N, classes]; both are outputs.
 * Metadata is {@link ModelInfo#toMetadata()}: name, version, labels, preprocessing and {@link Provenance}.
 * The version is the first 12 hex digits of the SHA-256 of the serialised graph, so it changes with any
 * weight or layer and is the same for the same trained network.
 */
public final class OnnxExporter {
  /** Debian's python3-onnx 1.12 checker accepts IR ≤ 8 and opset ≤ 17. */
  public static final long IR_VERSION = 8;
  public static final long OPSET = 13;

  private OnnxExporter() {}

  /**
   * The classifier model of a trained network of {@code spec}.
   *
   * @throws UnsupportedBlockException if a layer has no ONNX translation
   * @throws IllegalArgumentException if the network does not end in [N, classes] logits or is untrained
   */
  public static ModelProto export(Block trained, ModelSpec spec, Provenance provenance) {
    GraphBuilder graph = new GraphBuilder(spec.name());
    LayerTranslator.Value logits = layers(graph, trained, spec.inputShape());
    if (!logits.shape().equals(new Shape(1, spec.classes()))) {
      throw new IllegalArgumentException(spec.name() + " ends in " + logits.shape() + " per image, not logits of its "
          + spec.classes() + " labels");
    }
    graph.rename(logits.name(), ModelInfo.LOGITS);
    graph.node("Softmax", "softmax", ModelInfo.OUTPUT, new AttributeProto[] {GraphBuilder.integer("axis", 1)}, ModelInfo.LOGITS);
    graph.output(ModelInfo.OUTPUT, spec.classes());
    graph.output(ModelInfo.LOGITS, spec.classes());
    GraphProto g = graph.build();
    ModelInfo info = new ModelInfo(spec.name(), version(g), spec.labels(), spec.preprocessing(), provenance.toMetadata());
    return model(g, spec.description(), info.toMetadata());
  }

  /**
   * Any block's layers alone, input {@code image} of {@code inputShape} (batch axis dynamic) to an output
   * {@code logits} of whatever shape they produce; no softmax and no metadata. For checking single layers.
   */
  public static ModelProto exportLayers(Block trained, Shape inputShape) {
    GraphBuilder graph = new GraphBuilder("layers");
    LayerTranslator.Value out = layers(graph, trained, inputShape);
    graph.rename(out.name(), ModelInfo.LOGITS);
    graph.output(ModelInfo.LOGITS, out.shape().slice(1).getShape());
    return model(graph.build(), "layers", Map.of());
  }

  /**
   * Writes {@code model} to {@code file} through a temporary file and a rename, so a reader never sees half a model.
   * The temporary file is created like any other, with the umask's permissions: {@code createTempFile} made every
   * model readable by its owner only, which a service running as another user (a container, a shared models
   * directory) cannot load.
   */
  public static Path write(ModelProto model, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        model.writeTo(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static LayerTranslator.Value layers(GraphBuilder graph, Block block, Shape inputShape) {
    if (inputShape.dimension() != 4 || inputShape.get(0) != 1) {
      throw new IllegalArgumentException("input shape must be [1, C, H, W], was " + inputShape);
    }
    graph.input(ModelInfo.INPUT, inputShape.slice(1).getShape());
    // A lone layer is named after its class; a sequential block's layers after their DJL child names.
    String path = block instanceof SequentialBlock ? "" : block.getClass().getSimpleName();
    return new LayerTranslator(graph).translate(path, block, new LayerTranslator.Value(ModelInfo.INPUT, inputShape));
  }

  private static ModelProto model(GraphProto graph, String doc, Map<String, String> metadata) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("catdog-trainer")
        .setProducerVersion("1")
        .setDocString(doc)
        .setGraph(graph);
    metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  static String version(GraphProto graph) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(graph.toByteArray());
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
