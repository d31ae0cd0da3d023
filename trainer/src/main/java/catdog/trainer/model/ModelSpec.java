package catdog.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import catdog.streaming.inference.Preprocessing;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One model the trainer can train and export: its name, class labels in index order, the preprocessing the
 * service must reproduce, its architecture and its default hyper-parameters. Find one with
 * {@link #named(String)}.
 */
public final class ModelSpec {
  private static final List<String> CATS_DOGS = List.of("cat", "dog");
  private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  private static final Preprocessing PHOTO_128 = photo(128);

  private static final List<ModelSpec> ALL = List.of(
      new ModelSpec("catdog-seed", "the homework's cat-dog CNN: 5 convs, ReLU, max pooling, 32-16-2 head",
          CATS_DOGS, Preprocessing.unitRgb(128, 128), Architectures::catdogSeed,
          new TrainingDefaults(30, 128, 1e-3f, 0f, false)),
      new ModelSpec("catdog", "cats vs dogs from scratch: 8 conv-BN-ReLU layers in 5 stages (16..256 channels), global average pooling",
          CATS_DOGS, PHOTO_128, Architectures::catdog,
          new TrainingDefaults(35, 64, 2e-3f, 0.05f, true)),
      pruned("catdog-slim", "catdog with 3/4 of the channels from 32 pixels down, 0.64x the cost", Architectures::catdogSlim, "catdog"),
      pruned("catdog-thin", "catdog with 5/8 of the channels from 32 pixels down, 0.50x the cost", Architectures::catdogThin, "catdog"),
      pruned("catdog-mini", "catdog with half the channels from 32 pixels down and 24 at 64, 0.34x the cost",
          Architectures::catdogMini, "catdog-thin"),
      pruned("catdog-thin-s2", "experiment: catdog-thin with its first conv at stride 2 instead of conv + max pooling, 0.47x the cost; 1.8 points under it on val, not shipped",
          Architectures::catdogThinS2, "catdog-thin"),
      pruned("catdog-mini-s2", "catdog-mini with its first conv at stride 2 instead of conv + max pooling, 0.31x the cost",
          Architectures::catdogMiniS2, "catdog-mini"),
      pruned("catdog-mini-s4", "catdog-mini-s2 with its second conv at stride 2 too instead of its pooling, 0.26x the cost",
          Architectures::catdogMiniS4, "catdog-mini-s2"),
      new ModelSpec("catdog-96", "experiment: catdog on 96x96 input, 0.56x the cost; 3 points less accurate, not shipped",
          CATS_DOGS, photo(96), () -> Architectures.catdog(96),
          new TrainingDefaults(35, 64, 2e-3f, 0.05f, true)),
      new ModelSpec("catdog-mid", "between catdog and catdog-lite: full convs to 32 pixels, one separable conv deeper at 16 and 8",
          CATS_DOGS, PHOTO_128, Architectures::catdogMid,
          new TrainingDefaults(35, 64, 2e-3f, 0.05f, true)),
      new ModelSpec("catdog-lite", "catdog at half the cost: full 3x3 convs open each stage, depthwise-separable ones go deeper",
          CATS_DOGS, PHOTO_128, Architectures::catdogLite,
          new TrainingDefaults(35, 64, 2e-3f, 0.05f, true)),
      new ModelSpec("lenet-classic", "LeNet-5 as in the seed: sigmoid, average pooling, Fashion-MNIST",
          FASHION, Preprocessing.unitGray(28, 28), Architectures::lenetClassic,
          new TrainingDefaults(20, 128, 2e-3f, 0f, false)),
      new ModelSpec("lenet", "LeNet-5 with ReLU and max pooling, Fashion-MNIST",
          FASHION, Preprocessing.unitGray(28, 28), Architectures::lenetModern,
          new TrainingDefaults(20, 128, 1e-3f, 0f, false)));

  private final String name;
  private final String description;
  private final List<String> labels;
  private final Preprocessing preprocessing;
  private final Supplier<SequentialBlock> architecture;
  private final TrainingDefaults defaults;
  private final Optional<String> prunedFrom;

  private ModelSpec(String name, String description, List<String> labels, Preprocessing preprocessing,
      Supplier<SequentialBlock> architecture, TrainingDefaults defaults) {
    this(name, description, labels, preprocessing, architecture, defaults, Optional.empty());
  }

  private ModelSpec(String name, String description, List<String> labels, Preprocessing preprocessing,
      Supplier<SequentialBlock> architecture, TrainingDefaults defaults, Optional<String> prunedFrom) {
    this.name = name;
    this.description = description;
    this.labels = List.copyOf(labels);
    this.preprocessing = preprocessing;
    this.architecture = architecture;
    this.defaults = defaults;
    this.prunedFrom = prunedFrom;
  }

  /**
   * A catdog derived from {@code source}, narrower or with a strided first conv, meant to start from its trained
   * weights ({@code train --init-from}): its defaults are a fine-tuning run's (24 epochs at 1e-3), far too short
   * to train it from scratch.
   */
  private static ModelSpec pruned(String name, String description, Supplier<SequentialBlock> architecture, String source) {
    return new ModelSpec(name, description + "; start it from " + source + "'s weights", CATS_DOGS, PHOTO_128, architecture,
        new TrainingDefaults(24, 64, 1e-3f, 0.05f, true), Optional.of(source));
  }

  // ImageNet's channel statistics: close enough to any photo set to centre the input for batch norm.
  private static Preprocessing photo(int pixels) {
    return new Preprocessing(3, pixels, pixels, Preprocessing.ColorOrder.RGB, 1f / 255f,
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, Preprocessing.Resize.BILINEAR);
  }

  /** The spec called {@code name}, e.g. {@code catdog-seed}; empty when there is none. */
  public static Optional<ModelSpec> named(String name) {
    return ALL.stream().filter(s -> s.name.equals(name)).findFirst();
  }

  /** Like {@link #named(String)}, for callers that have validated the name already: an unknown one throws. */
  public static ModelSpec require(String name) {
    return named(name).orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "', known: " + names()));
  }

  public static List<ModelSpec> all() {
    return ALL;
  }

  public static List<String> names() {
    return ALL.stream().map(ModelSpec::name).toList();
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** Class names in class-index order: label i is output i. */
  public List<String> labels() {
    return labels;
  }

  public int classes() {
    return labels.size();
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The input of one image, [1, C, H, W]; the batch axis is free at run time. */
  public Shape inputShape() {
    return new Shape(1, preprocessing.channels(), preprocessing.height(), preprocessing.width());
  }

  /** A fresh, uninitialised network producing logits [N, classes]. */
  public SequentialBlock newBlock() {
    return architecture.get();
  }

  public TrainingDefaults defaults() {
    return defaults;
  }

  /**
   * The model whose trained weights this one starts from and fine-tunes (pruned, or re-strided for the -s2 models);
   * empty for models trained from scratch.
   */
  public Optional<String> prunedFrom() {
    return prunedFrom;
  }

  /** Parameters, MFLOPs and per-layer shapes of this model for one image. */
  public ModelCost cost() {
    return ModelCost.of(newBlock(), inputShape());
  }

  @Override
  public String toString() {
    return name;
  }
}
