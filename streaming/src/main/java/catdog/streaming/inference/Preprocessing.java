package catdog.streaming.inference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a model expects its input to look like, defined once per model, written into the ONNX metadata by
 * the exporter and read back by the service. The trainer and the service both turn images into tensors
 * through {@link ImagePreprocessor} with one of these, so what is trained is exactly what is served.
 *
 * <p>The tensor is NCHW float32: decode, convert to {@code colorOrder}, resize to height × width with
 * {@code resize}, multiply by {@code scale}, then subtract {@code mean[c]} and divide by {@code std[c]}.
 */
public record Preprocessing(
    int channels, int height, int width, ColorOrder colorOrder, float scale, float[] mean, float[] std, Resize resize) {

  /** Channel order of the tensor. */
  public enum ColorOrder { RGB, GRAY }

  /**
   * How images are brought to the model's size. BILINEAR samples with half-pixel centres and no
   * anti-aliasing, as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} does.
   */
  public enum Resize { BILINEAR }

  public static final String LAYOUT = "catdog.input.layout";
  public static final String CHANNELS = "catdog.input.channels";
  public static final String HEIGHT = "catdog.input.height";
  public static final String WIDTH = "catdog.input.width";
  public static final String COLOR = "catdog.preprocess.color";
  public static final String SCALE = "catdog.preprocess.scale";
  public static final String MEAN = "catdog.preprocess.mean";
  public static final String STD = "catdog.preprocess.std";
  public static final String RESIZE = "catdog.preprocess.resize";

  public Preprocessing {
    if (channels != (colorOrder == ColorOrder.GRAY ? 1 : 3)) {
      throw new IllegalArgumentException(colorOrder + " needs " + (colorOrder == ColorOrder.GRAY ? 1 : 3) + " channels, not " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("input size must be positive, was " + height + "x" + width);
    }
    if (mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("mean and std need one value per channel (" + channels + ")");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive, was " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** RGB scaled to [0,1] with no normalisation: the homework's {@code Resize((h,w)) + ToTensor()}. */
  public static Preprocessing unitRgb(int height, int width) {
    return new Preprocessing(3, height, width, ColorOrder.RGB, 1f / 255f, new float[3], new float[] {1, 1, 1}, Resize.BILINEAR);
  }

  /** Grayscale scaled to [0,1], as Fashion-MNIST models take it. */
  public static Preprocessing unitGray(int height, int width) {
    return new Preprocessing(1, height, width, ColorOrder.GRAY, 1f / 255f, new float[1], new float[] {1}, Resize.BILINEAR);
  }

  /** Floats per image in the tensor. */
  public int tensorSize() {
    return channels * height * width;
  }

  /** The ONNX {@code metadata_props} entries that describe this preprocessing. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(LAYOUT, "NCHW");
    m.put(CHANNELS, Integer.toString(channels));
    m.put(HEIGHT, Integer.toString(height));
    m.put(WIDTH, Integer.toString(width));
    m.put(COLOR, colorOrder.name());
    m.put(SCALE, Float.toString(scale));
    m.put(MEAN, join(mean));
    m.put(STD, join(std));
    m.put(RESIZE, resize.name());
    return m;
  }

  /**
   * Reads the preprocessing from ONNX metadata. An expected failure, so it is a value: the reason names
   * the key that is missing or malformed.
   */
  public static Parsed fromMetadata(Map<String, String> metadata) {
    for (String key : List.of(LAYOUT, CHANNELS, HEIGHT, WIDTH, COLOR, SCALE, MEAN, STD, RESIZE)) {
      if (!metadata.containsKey(key)) {
        return new Parsed.Invalid("metadata has no " + key);
      }
    }
    if (!"NCHW".equals(metadata.get(LAYOUT))) {
      return new Parsed.Invalid(LAYOUT + " must be NCHW, was " + metadata.get(LAYOUT));
    }
    try {
      return new Parsed.Valid(new Preprocessing(
          Integer.parseInt(metadata.get(CHANNELS)),
          Integer.parseInt(metadata.get(HEIGHT)),
          Integer.parseInt(metadata.get(WIDTH)),
          ColorOrder.valueOf(metadata.get(COLOR).toUpperCase(Locale.ROOT)),
          Float.parseFloat(metadata.get(SCALE)),
          floats(metadata.get(MEAN)),
          floats(metadata.get(STD)),
          Resize.valueOf(metadata.get(RESIZE).toUpperCase(Locale.ROOT))));
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid("bad preprocessing metadata: " + e.getMessage());
    }
  }

  /** The outcome of {@link #fromMetadata(Map)}. */
  public sealed interface Parsed {
    record Valid(Preprocessing preprocessing) implements Parsed {}

    record Invalid(String reason) implements Parsed {}

    default Optional<Preprocessing> toOptional() {
      return this instanceof Valid v ? Optional.of(v.preprocessing()) : Optional.empty();
    }
  }

  private static String join(float[] values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    return sb.toString();
  }

  private static float[] floats(String csv) {
    String[] parts = csv.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i].trim());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && channels == p.channels && height == p.height && width == p.width
        && colorOrder == p.colorOrder && Float.compare(scale, p.scale) == 0 && Arrays.equals(mean, p.mean)
        && Arrays.equals(std, p.std) && resize == p.resize;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * java.util.Objects.hash(channels, height, width, colorOrder, scale, resize) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width + " " + colorOrder + " scale " + scale + " mean " + Arrays.toString(mean)
        + " std " + Arrays.toString(std) + " " + resize;
  }

  /** For logs: {@code 3x128x128 RGB}. */
  public String shortForm() {
    return Arrays.stream(new int[] {channels, height, width}).mapToObj(Integer::toString).collect(Collectors.joining("x")) + " " + colorOrder;
  }
}
