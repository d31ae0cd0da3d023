package catdog.trainer.data;

import catdog.streaming.inference.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Opens a data directory in whichever layout it has, and splits off the validation set. */
public final class Datasets {
  /** Fashion-MNIST's class names, in label order. */
  public static final List<String> FASHION_CLASSES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private Datasets() {}

  /** Training and validation sets; {@code source} says where validation came from, for README and metadata. */
  public record Split(ImageSet train, ImageSet val, String source) {}

  /** True when {@code dir} holds Fashion-MNIST style IDX files. */
  public static boolean isIdx(Path dir) {
    return Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")) || Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
  }

  /**
   * The training data and its validation set: {@code val} when given, the IDX test files for IDX data,
   * or else a seeded {@code valFraction} of the training files.
   */
  public static Split open(Path data, Optional<Path> val, double valFraction, long seed, ImagePreprocessor pre, boolean augment)
      throws IOException {
    if (isIdx(data)) {
      ImageSet train = idx(data, "train", pre);
      ImageSet test = val.isPresent() ? load(val.get(), pre) : idx(data, "t10k", pre);
      return new Split(train, test, "IDX " + data + " (train / " + val.map(Path::toString).orElse("t10k") + ")");
    }
    LabeledFiles all = LabeledFiles.scan(data);
    if (val.isPresent()) {
      return new Split(ImageSet.decode(all, pre, augment), load(val.get(), pre), data + " (val " + val.get() + ")");
    }
    if (!(valFraction > 0 && valFraction < 1)) {
      throw new IllegalArgumentException("without --val, the validation fraction must be in (0,1), was " + valFraction);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.files().size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int nVal = (int) Math.round(order.size() * valFraction);
    LabeledFiles valFiles = subset(all, order.subList(0, nVal), List.of());
    LabeledFiles trainFiles = subset(all, order.subList(nVal, order.size()), all.skipped());
    return new Split(ImageSet.decode(trainFiles, pre, augment), ImageSet.decode(valFiles, pre, false),
        data + " (val: " + nVal + " files held out, seed " + seed + ")");
  }

  /** A labelled folder or IDX directory, for evaluation. */
  public static ImageSet load(Path dir, ImagePreprocessor pre) throws IOException {
    return isIdx(dir) ? idx(dir, "t10k", pre) : ImageSet.decode(LabeledFiles.scan(dir), pre, false);
  }

  /** {@code prefix}-images-idx3-ubyte.gz and {@code prefix}-labels-idx1-ubyte.gz from {@code dir}. */
  public static ImageSet idx(Path dir, String prefix, ImagePreprocessor pre) throws IOException {
    List<BufferedImage> images = IdxFile.read(dir.resolve(prefix + "-images-idx3-ubyte.gz")).images();
    int[] labels = IdxFile.read(dir.resolve(prefix + "-labels-idx1-ubyte.gz")).labels();
    if (images.size() != labels.length) {
      throw new IOException(dir + ": " + images.size() + " images but " + labels.length + " labels for " + prefix);
    }
    int classes = 0;
    for (int l : labels) {
      classes = Math.max(classes, l + 1);
    }
    List<String> names = classes <= FASHION_CLASSES.size() ? FASHION_CLASSES : numbered(classes);
    return ImageSet.ofImages(images, labels, names, pre);
  }

  private static List<String> numbered(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }

  private static LabeledFiles subset(LabeledFiles all, List<Integer> idx, List<Skipped> skipped) {
    List<Integer> sorted = new ArrayList<>(idx);
    Collections.sort(sorted);
    List<Path> files = new ArrayList<>();
    int[] labels = new int[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      files.add(all.files().get(sorted.get(i)));
      labels[i] = all.labels()[sorted.get(i)];
    }
    return new LabeledFiles(files, labels, all.classes(), skipped);
  }
}
