package catdog.trainer.data;

import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labelled images held in memory, decoded once. A set that is never augmented keeps the finished tensors;
 * a training set that is augmented keeps the decoded images and re-samples them every epoch. Without
 * augmentation both give exactly what {@link ImagePreprocessor#apply(byte[])} gives the service.
 */
public final class ImageSet {
  private static final Logger LOG = LoggerFactory.getLogger(ImageSet.class);

  /** One cached example: either its tensor, or its decoded image for augmentation. */
  private sealed interface Item {
    record Tensor(float[] chw) implements Item {}

    record Image(BufferedImage image) implements Item {}
  }

  private final ImagePreprocessor preprocessor;
  private final List<String> classes;
  private final List<Item> items;
  private final int[] labels;
  private final List<Skipped> skipped;

  private ImageSet(ImagePreprocessor preprocessor, List<String> classes, List<Item> items, int[] labels, List<Skipped> skipped) {
    this.preprocessor = preprocessor;
    this.classes = List.copyOf(classes);
    this.items = items;
    this.labels = labels;
    this.skipped = List.copyOf(skipped);
  }

  /**
   * Decodes the files (in parallel) through the service's preprocessor. Files that do not decode are
   * skipped with a warning naming them; {@code keepImages} keeps decoded images for augmentation.
   */
  public static ImageSet decode(LabeledFiles files, ImagePreprocessor preprocessor, boolean keepImages) {
    int n = files.files().size();
    Item[] decoded = new Item[n];
    String[] refused = new String[n];
    IntStream.range(0, n).parallel().forEach(i -> {
      Path f = files.files().get(i);
      try {
        byte[] bytes = Files.readAllBytes(f);
        if (keepImages) {
          ImagePreprocessor.Decoded d = preprocessor.decode(bytes);
          if (d instanceof ImagePreprocessor.Decoded.Image img) {
            decoded[i] = new Item.Image(img.image());
          } else {
            refused[i] = ((ImagePreprocessor.Decoded.Failed) d).refusal().reason();
          }
        } else {
          Preprocessed p = preprocessor.apply(bytes);
          if (p instanceof Preprocessed.Ready ready) {
            decoded[i] = new Item.Tensor(ready.tensor());
          } else {
            refused[i] = ((Preprocessed.Refused) p).reason();
          }
        }
      } catch (IOException e) {
        refused[i] = "cannot read: " + e.getMessage();
      }
    });
    List<Item> items = new ArrayList<>(n);
    List<Integer> labels = new ArrayList<>(n);
    List<Skipped> skipped = new ArrayList<>(files.skipped());
    for (int i = 0; i < n; i++) {
      if (decoded[i] != null) {
        items.add(decoded[i]);
        labels.add(files.labels()[i]);
      } else {
        skipped.add(new Skipped(files.files().get(i), refused[i]));
      }
    }
    skipped.forEach(s -> LOG.warn("skipping {}", s));
    return new ImageSet(preprocessor, files.classes(), items, labels.stream().mapToInt(Integer::intValue).toArray(), skipped);
  }

  /** Images already decoded (IDX data), turned into tensors now through the same preprocessor. */
  public static ImageSet ofImages(List<BufferedImage> images, int[] labels, List<String> classes, ImagePreprocessor preprocessor) {
    int size = preprocessor.preprocessing().tensorSize();
    List<Item> items = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      float[] t = new float[size];
      preprocessor.writeTensor(image, t, 0);
      items.add(new Item.Tensor(t));
    }
    return new ImageSet(preprocessor, classes, items, labels.clone(), List.of());
  }

  public int size() {
    return items.size();
  }

  public int label(int i) {
    return labels[i];
  }

  public List<String> classes() {
    return classes;
  }

  public List<Skipped> skipped() {
    return skipped;
  }

  public Preprocessing preprocessing() {
    return preprocessor.preprocessing();
  }

  /** Writes example {@code i} into {@code dest} at {@code offset}, augmented when {@code augmentation} is given. */
  public void write(int i, float[] dest, int offset, Optional<Augmentation> augmentation, Random rng) {
    Item item = items.get(i);
    if (item instanceof Item.Tensor t) {
      System.arraycopy(t.chw(), 0, dest, offset, t.chw().length);
    } else {
      BufferedImage image = ((Item.Image) item).image();
      preprocessor.writeTensor(augmentation.isPresent() ? augmentation.get().apply(image, rng) : image, dest, offset);
    }
  }

  /** Per-class counts, for the summary line. */
  public int[] classCounts() {
    int[] counts = new int[classes.size()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  public String describe() {
    StringBuilder sb = new StringBuilder().append(size()).append(" images (");
    int[] counts = classCounts();
    for (int c = 0; c < counts.length; c++) {
      sb.append(c == 0 ? "" : ", ").append(classes.get(c)).append(' ').append(counts[c]);
    }
    return sb.append("), ").append(skipped.size()).append(" skipped").toString();
  }
}
