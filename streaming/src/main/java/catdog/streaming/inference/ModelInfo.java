package catdog.streaming.inference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a model is and what it needs, exactly as its ONNX {@code metadata_props} say. The exporter writes
 * {@link #toMetadata()}; the service reads {@link #fromMetadata(Map)} and configures itself from nothing else.
 *
 * <p>The graph contract that goes with it: one input {@code image}, float32 [N, C, H, W] with a dynamic
 * batch dimension, and an output {@code probabilities}, float32 [N, labels], already softmaxed. A second
 * output {@code logits} is optional.
 *
 * @param name the model family, e.g. {@code catdog}
 * @param version what makes this model unique, e.g. a content hash; predictions carry {@code name@version}
 * @param labels class names in class-index order
 * @param preprocessing how images become the input tensor
 * @param extra every other metadata entry (training data, val accuracy, epochs, created-at, git commit)
 */
public record ModelInfo(String name, String version, List<String> labels, Preprocessing preprocessing, Map<String, String> extra) {
  public static final String INPUT = "image";
  public static final String OUTPUT = "probabilities";
  public static final String LOGITS = "logits";

  public static final String NAME = "catdog.name";
  public static final String VERSION = "catdog.version";
  public static final String LABELS = "catdog.labels";
  /** Free text: what the model was trained on. */
  public static final String TRAIN_DATA = "catdog.train.data";
  public static final String VAL_ACCURACY = "catdog.train.val_accuracy";
  public static final String EPOCHS = "catdog.train.epochs";
  public static final String CREATED_AT = "catdog.created_at";
  public static final String GIT_COMMIT = "catdog.git_commit";

  public ModelInfo {
    if (name.isBlank() || version.isBlank()) {
      throw new IllegalArgumentException("a model needs a name and a version");
    }
    if (labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least two labels, had " + labels);
    }
    labels = List.copyOf(labels);
    extra = Map.copyOf(extra);
  }

  /** {@code name@version}, the form predictions, logs and metrics use. */
  public String id() {
    return name + "@" + version;
  }

  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>(extra);
    m.put(NAME, name);
    m.put(VERSION, version);
    m.put(LABELS, String.join(",", labels));
    m.putAll(preprocessing.toMetadata());
    return m;
  }

  /** Reads a model's identity and preprocessing; a missing or malformed key is an expected failure. */
  public static Parsed fromMetadata(Map<String, String> metadata) {
    for (String key : List.of(NAME, VERSION, LABELS)) {
      if (!metadata.containsKey(key) || metadata.get(key).isBlank()) {
        return new Parsed.Invalid("metadata has no " + key);
      }
    }
    Preprocessing.Parsed pre = Preprocessing.fromMetadata(metadata);
    if (pre instanceof Preprocessing.Parsed.Invalid invalid) {
      return new Parsed.Invalid(invalid.reason());
    }
    List<String> labels = Arrays.stream(metadata.get(LABELS).split(",")).map(String::trim).toList();
    Map<String, String> extra = new LinkedHashMap<>(metadata);
    extra.keySet().removeAll(List.of(NAME, VERSION, LABELS));
    extra.keySet().removeAll(Preprocessing.unitRgb(1, 1).toMetadata().keySet());
    try {
      return new Parsed.Valid(new ModelInfo(metadata.get(NAME), metadata.get(VERSION), labels,
          ((Preprocessing.Parsed.Valid) pre).preprocessing(), extra));
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid(e.getMessage());
    }
  }

  /** The outcome of {@link #fromMetadata(Map)}. */
  public sealed interface Parsed {
    record Valid(ModelInfo info) implements Parsed {}

    record Invalid(String reason) implements Parsed {}
  }
}
