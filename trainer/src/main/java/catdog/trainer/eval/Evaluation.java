package catdog.trainer.eval;

import catdog.trainer.data.ImageSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * How a classifier does on a labelled set.
 *
 * @param confusion {@code confusion[actual][predicted]} counts, in the model's label order
 */
public record Evaluation(String model, String data, List<String> labels, int[][] confusion) {
  private static final int BATCH = 64;

  /** Scores every image of {@code set}; the set's class names must be among the model's labels. */
  public static Evaluation of(Classifier classifier, ImageSet set, String dataName) {
    int[] toModel = labelMap(set.classes(), classifier.labels());
    int k = classifier.labels().size();
    int[][] confusion = new int[k][k];
    float[][] p = probabilities(classifier, set);
    for (int i = 0; i < set.size(); i++) {
      confusion[toModel[set.label(i)]][argmax(p[i])]++;
    }
    return new Evaluation(classifier.name(), dataName, classifier.labels(), confusion);
  }

  /** The classifier's probabilities for every image of {@code set}, unaugmented, in batches. */
  static float[][] probabilities(Classifier classifier, ImageSet set) {
    int size = classifier.preprocessing().tensorSize();
    float[] x = new float[BATCH * size];
    float[][] out = new float[set.size()][];
    Random unused = new Random(0);
    for (int from = 0; from < set.size(); from += BATCH) {
      int n = Math.min(BATCH, set.size() - from);
      for (int i = 0; i < n; i++) {
        set.write(from + i, x, i * size, Optional.empty(), unused);
      }
      System.arraycopy(classifier.probabilities(x, n), 0, out, from, n);
    }
    return out;
  }

  static int[] labelMap(List<String> dataClasses, List<String> modelLabels) {
    int[] map = new int[dataClasses.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = modelLabels.indexOf(dataClasses.get(i));
      if (map[i] < 0) {
        throw new IllegalArgumentException("the data has class '" + dataClasses.get(i) + "' but the model knows only " + modelLabels);
      }
    }
    return map;
  }

  public static int argmax(float[] row) {
    int best = 0;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
      }
    }
    return best;
  }

  public long total() {
    long t = 0;
    for (int[] row : confusion) {
      for (int v : row) {
        t += v;
      }
    }
    return t;
  }

  public double accuracy() {
    long right = 0;
    for (int c = 0; c < confusion.length; c++) {
      right += confusion[c][c];
    }
    return total() == 0 ? 0 : (double) right / total();
  }

  /** Of the images predicted as {@code c}, the share that are {@code c}; NaN when none were. */
  public double precision(int c) {
    long predicted = 0;
    for (int[] row : confusion) {
      predicted += row[c];
    }
    return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
  }

  /** Of the images that are {@code c}, the share predicted as {@code c}; NaN when there were none. */
  public double recall(int c) {
    long actual = 0;
    for (int v : confusion[c]) {
      actual += v;
    }
    return actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
  }

  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "model %s on %s: %d images, accuracy %.4f%n", model, data, total(), accuracy()));
    int w = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(8) + 1);
    sb.append(String.format(Locale.ROOT, "%-" + w + "s %9s %9s%n", "class", "precision", "recall"));
    for (int c = 0; c < labels.size(); c++) {
      sb.append(String.format(Locale.ROOT, "%-" + w + "s %9.4f %9.4f%n", labels.get(c), precision(c), recall(c)));
    }
    sb.append("confusion matrix (rows: actual, columns: predicted)\n");
    sb.append(String.format("%-" + w + "s", ""));
    labels.forEach(l -> sb.append(String.format(" %" + w + "s", l)));
    sb.append('\n');
    for (int a = 0; a < labels.size(); a++) {
      sb.append(String.format("%-" + w + "s", labels.get(a)));
      for (int p = 0; p < labels.size(); p++) {
        sb.append(String.format(" %" + w + "d", confusion[a][p]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The same as {@link #report()}, as a JSON-ready map. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("data", data);
    m.put("images", total());
    m.put("accuracy", accuracy());
    List<Map<String, Object>> classes = new ArrayList<>();
    for (int c = 0; c < labels.size(); c++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", labels.get(c));
      row.put("precision", finiteOrNull(precision(c)));
      row.put("recall", finiteOrNull(recall(c)));
      classes.add(row);
    }
    m.put("classes", classes);
    m.put("labels", labels);
    m.put("confusion", confusion);
    return m;
  }

  private static Object finiteOrNull(double v) {
    return Double.isFinite(v) ? v : "NaN";
  }
}
