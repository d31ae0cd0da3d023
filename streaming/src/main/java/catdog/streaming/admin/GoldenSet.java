package catdog.streaming.admin;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Labelled images every candidate is scored on. A file's label is its parent directory's name when it sits
 * in a sub-directory of the set, else the part of its name before the first dot ({@code cat.12.jpg}).
 */
final class GoldenSet {
  record Sample(String name, String label, byte[] image) {}

  private final List<Sample> samples;

  private GoldenSet(List<Sample> samples) {
    this.samples = samples;
  }

  static GoldenSet read(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      List<Sample> samples = files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
          .sorted()
          .map(p -> new Sample(p.toString(), label(dir, p), bytes(p)))
          .toList();
      if (samples.isEmpty()) {
        throw new IllegalArgumentException("the golden set " + dir + " holds no .jpg or .png image");
      }
      return new GoldenSet(samples);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the golden set " + dir, e);
    }
  }

  int size() {
    return samples.size();
  }

  /** The share of images whose top class is their label; an image that fails to decode counts as wrong. */
  double accuracy(OnnxModel model, int batchSize) {
    ImagePreprocessor pre = new ImagePreprocessor(model.info().preprocessing(), ImageLimits.defaults());
    int size = model.info().preprocessing().tensorSize();
    int correct = 0;
    for (int from = 0; from < samples.size(); from += batchSize) {
      List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + batchSize));
      float[] batch = new float[chunk.size() * size];
      boolean[] usable = new boolean[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        if (pre.apply(chunk.get(i).image()) instanceof Preprocessed.Ready ready) {
          System.arraycopy(ready.tensor(), 0, batch, i * size, size);
          usable[i] = true;
        }
      }
      if (!(model.run(batch, chunk.size()) instanceof BatchResult.Scored scored)) {
        continue;
      }
      for (int i = 0; i < chunk.size(); i++) {
        if (usable[i] && model.info().labels().get(argmax(scored.probabilities()[i])).equals(chunk.get(i).label())) {
          correct++;
        }
      }
    }
    return (double) correct / samples.size();
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static String label(Path root, Path file) {
    Path parent = file.getParent();
    if (!parent.equals(root)) {
      return parent.getFileName().toString();
    }
    String name = file.getFileName().toString();
    return name.substring(0, name.indexOf('.'));
  }

  private static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
