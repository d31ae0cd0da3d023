package catdog.streaming.testing;

import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Tiny ONNX models built in Java for tests, so that no test depends on the trainer's output. Every model
 * follows the service's graph contract (input {@code image} [N,C,H,W], outputs {@code probabilities} and
 * {@code logits} [N,labels]) unless it is one of the deliberately broken variants used to test refusals.
 * Weights are random but seeded, so the same arguments always give the same bytes.
 */
public final class TestModels {
  public static final List<String> LABELS = List.of("cat", "dog");
  /** The seed cat-dog network's input. */
  public static final Preprocessing SEED_INPUT = Preprocessing.unitRgb(128, 128);
  /** The fast model's input: 3×8×8, so a batch costs microseconds. */
  public static final Preprocessing TINY_INPUT = Preprocessing.unitRgb(8, 8);

  private TestModels() {}

  /** Metadata with the cat/dog labels and nothing extra. */
  public static ModelInfo info(String name, String version, Preprocessing preprocessing) {
    return new ModelInfo(name, version, LABELS, preprocessing, Map.of(ModelInfo.TRAIN_DATA, "random weights (TestModels)"));
  }

  /**
   * The seed cat-dog CNN's shapes with random weights: 3×128×128 → five conv/relu(/maxpool) blocks →
   * 32 → Gemm 16 → relu → Gemm 2 → softmax.
   */
  public static byte[] seedShaped(String name, String version, long seed) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("catdog_seed", seed);
    g.input(ModelInfo.INPUT, -1, 3, 128, 128);
    String x = g.maxPool(g.relu(g.conv(ModelInfo.INPUT, 3, 6, 5)));
    x = g.maxPool(g.relu(g.conv(x, 6, 16, 5)));
    x = g.maxPool(g.relu(g.conv(x, 16, 32, 4)));
    x = g.maxPool(g.relu(g.conv(x, 32, 32, 4)));
    x = g.flatten(g.relu(g.conv(x, 32, 32, 5)));
    x = g.gemm(g.relu(g.gemm(x, 32, 16)), 16, 2);
    return heads(g, x, 2, info(name, version, SEED_INPUT).toMetadata());
  }

  /** A fast 3×8×8 cat/dog model: global average pool → Gemm → softmax. */
  public static byte[] tiny(String name, String version) {
    return tiny(info(name, version, TINY_INPUT), version.hashCode());
  }

  /** A fast model for any metadata: its input is the preprocessing's C×H×W, its output width the label count. */
  public static byte[] tiny(ModelInfo info, long seed) {
    Preprocessing p = info.preprocessing();
    OnnxGraphBuilder g = new OnnxGraphBuilder("catdog_tiny", seed);
    g.input(ModelInfo.INPUT, -1, p.channels(), p.height(), p.width());
    String x = g.gemm(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), p.channels(), info.labels().size());
    return heads(g, x, info.labels().size(), info.toMetadata());
  }

  /**
   * A 3×8×8 model that knows colours: mostly red images are {@code cat} and mostly blue ones {@code dog}, or
   * the reverse when {@code redIsCat} is false. Its predictions are known in advance, for accuracy gates and
   * end-to-end checks.
   */
  public static byte[] colours(String name, String version, boolean redIsCat) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("catdog_colours", 1);
    g.input(ModelInfo.INPUT, -1, 3, 8, 8);
    float s = redIsCat ? 10 : -10;
    String x = g.gemm(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), new float[] {s, 0, -s, -s, 0, s}, new float[] {0, 0});
    return heads(g, x, 2, info(name, version, TINY_INPUT).toMetadata());
  }

  /**
   * A 3×8×8 model that scores images in [0, 1] like {@link #tiny} (and so passes its warm-up on zeros) but
   * fails every batch holding an image whose red or green mean is 2 or more: a GatherElements index taken
   * from the input falls out of range. For probation and automatic rollback.
   */
  public static byte[] failsOnBrightInputs(String name, String version) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("fails_on_bright_inputs", 7);
    g.input(ModelInfo.INPUT, -1, 3, 8, 8);
    String means = g.flatten(g.globalAveragePool(ModelInfo.INPUT));
    String logits = g.gemm(means, 3, 2);
    String picked = g.op("MatMul", List.of(means, g.constant(new long[] {3, 2}, 1, 0, 0, 1, 0, 0)));
    String indices = g.op("Cast", List.of(picked), OnnxGraphBuilder.intAttr("to", 7));
    String x = g.op("GatherElements", List.of(logits, indices), OnnxGraphBuilder.intAttr("axis", 1));
    return heads(g, x, 2, info(name, version, TINY_INPUT).toMetadata());
  }

  /** Refusal case: the input is called {@code input}, not {@code image}. */
  public static byte[] wrongInputName(String version) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("wrong_input_name", 1);
    g.input("input", -1, 3, 8, 8);
    String x = g.gemm(g.flatten(g.globalAveragePool("input")), 3, 2);
    return heads(g, x, 2, info("broken", version, TINY_INPUT).toMetadata());
  }

  /** Refusal case: the graph takes 3×16×16 while its metadata promises 3×8×8. */
  public static byte[] wrongInputShape(String version) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("wrong_input_shape", 1);
    g.input(ModelInfo.INPUT, -1, 3, 16, 16);
    String x = g.gemm(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), 3, 2);
    return heads(g, x, 2, info("broken", version, TINY_INPUT).toMetadata());
  }

  /** Refusal case: three labels in the metadata, two columns in the output. */
  public static byte[] wrongLabelCount(String version) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("wrong_label_count", 1);
    g.input(ModelInfo.INPUT, -1, 3, 8, 8);
    String x = g.gemm(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), 3, 2);
    ModelInfo three = new ModelInfo("broken", version, List.of("cat", "dog", "fox"), TINY_INPUT, Map.of());
    return heads(g, x, 2, three.toMetadata());
  }

  /** Refusal case: a valid graph with no catdog metadata at all. */
  public static byte[] withoutMetadata() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("no_metadata", 1);
    g.input(ModelInfo.INPUT, -1, 3, 8, 8);
    String x = g.gemm(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), 3, 2);
    return heads(g, x, 2, Map.of());
  }

  /** Refusal case: the first half of a valid model, as a cut-off upload would be. */
  public static byte[] corrupt() {
    byte[] whole = tiny("broken", "corrupt");
    return java.util.Arrays.copyOf(whole, whole.length / 2);
  }

  /**
   * Refusal case: loads and passes every static check, but every run fails, because a Gather picks a
   * column that does not exist (index 5 of 3) and ONNX Runtime only checks indices at run time.
   */
  public static byte[] failingWarmUp(String version) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("failing_warm_up", 1);
    g.input(ModelInfo.INPUT, -1, 3, 8, 8);
    String x = g.gather(g.flatten(g.globalAveragePool(ModelInfo.INPUT)), 1, 0, 5);
    return heads(g, x, 2, info("broken", version, TINY_INPUT).toMetadata());
  }

  /** Writes a model into {@code dir} and returns its path. */
  public static Path write(Path dir, String fileName, byte[] model) {
    try {
      return Files.write(dir.resolve(fileName), model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exposes {@code logits} and their softmax {@code probabilities}, both [N, classes]. */
  private static byte[] heads(OnnxGraphBuilder g, String logits, int classes, Map<String, String> metadata) {
    g.named("Identity", logits, ModelInfo.LOGITS);
    g.named("Softmax", logits, ModelInfo.OUTPUT, OnnxGraphBuilder.intAttr("axis", 1));
    g.output(ModelInfo.OUTPUT, -1, classes);
    g.output(ModelInfo.LOGITS, -1, classes);
    ModelProto model = g.model(metadata);
    return model.toByteArray();
  }
}
