package catdog.trainer.eval;

import catdog.streaming.inference.Preprocessing;
import catdog.trainer.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Several classifiers scored on the same labelled images, kept photo by photo, so that two models can be told
 * apart by where they disagree rather than by two accuracies each within a point of noise.
 *
 * @param models the classifiers' names
 * @param sets the data sets' names, in the order their images are in {@code labels}
 * @param setSizes how many images each data set contributed
 * @param labels each image's true class, as an index into the models' labels
 * @param probabilities for each model, {@code [image][class]}
 */
public record Comparison(List<String> models, List<String> sets, int[] setSizes, int[] labels, List<float[][]> probabilities) {
  /**
   * How two models did on the same images. {@code onlyFirst} and {@code onlySecond} are the photos only one of
   * them got right: the only ones that say which is better.
   */
  public record Pair(String first, String second, int bothRight, int onlyFirst, int onlySecond, int bothWrong) {
    /**
     * McNemar's statistic, (onlyFirst − onlySecond) / √(onlyFirst + onlySecond): about normal when the models
     * are equally accurate, so |z| ≥ 1.96 is a difference at the 5% level; 0 when they never disagree.
     */
    public double z() {
      int disagreements = onlyFirst + onlySecond;
      return disagreements == 0 ? 0 : (onlyFirst - onlySecond) / Math.sqrt(disagreements);
    }
  }

  /**
   * Scores every image of every set with every classifier. The classifiers must share labels; each distinct
   * preprocessing gets the sets decoded its way from {@code setsFor}, which must hold the same images for each.
   */
  public static Comparison of(List<? extends Classifier> classifiers, Function<Preprocessing, List<ImageSet>> setsFor,
      List<String> setNames) {
    if (classifiers.size() < 2) {
      throw new IllegalArgumentException("a comparison needs at least two models, got " + classifiers.size());
    }
    Classifier reference = classifiers.get(0);
    for (Classifier c : classifiers) {
      if (!c.labels().equals(reference.labels())) {
        throw new IllegalArgumentException(c.name() + " has labels " + c.labels() + ", " + reference.name() + " " + reference.labels());
      }
    }
    Map<Preprocessing, List<ImageSet>> decoded = new HashMap<>();
    List<ImageSet> sets = decoded.computeIfAbsent(reference.preprocessing(), setsFor);
    int total = sets.stream().mapToInt(ImageSet::size).sum();
    int[] labels = new int[total];
    int[] sizes = new int[sets.size()];
    int at = 0;
    for (int s = 0; s < sets.size(); s++) {
      ImageSet set = sets.get(s);
      int[] toModel = Evaluation.labelMap(set.classes(), reference.labels());
      sizes[s] = set.size();
      for (int i = 0; i < set.size(); i++) {
        labels[at++] = toModel[set.label(i)];
      }
    }
    List<float[][]> probabilities = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Classifier c : classifiers) {
      List<ImageSet> own = decoded.computeIfAbsent(c.preprocessing(), setsFor);
      if (!Arrays.equals(own.stream().mapToInt(ImageSet::size).toArray(), sizes)) {
        throw new IllegalStateException(c.name() + "'s preprocessing kept other images than " + reference.name() + "'s");
      }
      probabilities.add(score(c, own, total));
      names.add(c.name());
    }
    return new Comparison(List.copyOf(names), List.copyOf(setNames), sizes, labels, List.copyOf(probabilities));
  }

  private static float[][] score(Classifier c, List<ImageSet> sets, int total) {
    float[][] out = new float[total][];
    int at = 0;
    for (ImageSet set : sets) {
      float[][] p = Evaluation.probabilities(c, set);
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Model {@code m}'s accuracy over every image. */
  public double accuracy(int m) {
    return accuracy(correct(probabilities.get(m)), 0, labels.length);
  }

  /** Model {@code m}'s accuracy on data set {@code s} alone. */
  public double accuracy(int m, int s) {
    int from = Arrays.stream(setSizes, 0, s).sum();
    return accuracy(correct(probabilities.get(m)), from, from + setSizes[s]);
  }

  /** Models {@code a} and {@code b}, photo by photo. */
  public Pair pair(int a, int b) {
    boolean[] ra = correct(probabilities.get(a));
    boolean[] rb = correct(probabilities.get(b));
    int[] n = new int[4];
    for (int i = 0; i < labels.length; i++) {
      n[(ra[i] ? 0 : 2) + (rb[i] ? 0 : 1)]++;
    }
    return new Pair(models.get(a), models.get(b), n[0], n[1], n[2], n[3]);
  }

  /** The accuracy of every model's probabilities averaged: how far an ensemble of them would get. */
  public double averagedAccuracy() {
    int classes = probabilities.get(0)[0].length;
    float[][] mean = new float[labels.length][classes];
    for (float[][] p : probabilities) {
      for (int i = 0; i < labels.length; i++) {
        for (int c = 0; c < classes; c++) {
          mean[i][c] += p[i][c] / probabilities.size();
        }
      }
    }
    return accuracy(correct(mean), 0, labels.length);
  }

  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d images: %s%n", labels.length, describeSets()));
    sb.append("accuracy").append(sets.size() > 1 ? " (each set, then all)" : "").append('\n');
    for (int m = 0; m < models.size(); m++) {
      sb.append("  ").append(models.get(m)).append(':');
      if (sets.size() > 1) {
        for (int s = 0; s < sets.size(); s++) {
          sb.append(String.format(Locale.ROOT, " %.4f", accuracy(m, s)));
        }
        sb.append(',');
      }
      sb.append(String.format(Locale.ROOT, " %.4f%n", accuracy(m)));
    }
    sb.append(String.format(Locale.ROOT, "  all %d averaged: %.4f%n", models.size(), averagedAccuracy()));
    sb.append("pairs (photos only the first got right, only the second, McNemar's z; |z| >= 1.96 is a difference at 5%)\n");
    for (int a = 0; a < models.size(); a++) {
      for (int b = a + 1; b < models.size(); b++) {
        Pair p = pair(a, b);
        sb.append(String.format(Locale.ROOT, "  %s vs %s: %d vs %d, z = %.2f (%s)%n", p.first(), p.second(), p.onlyFirst(),
            p.onlySecond(), p.z(), Math.abs(p.z()) >= 1.96 ? "significant" : "not significant"));
      }
    }
    return sb.toString();
  }

  private String describeSets() {
    List<String> parts = new ArrayList<>();
    for (int s = 0; s < sets.size(); s++) {
      parts.add(sets.get(s) + " (" + setSizes[s] + ")");
    }
    return String.join(", ", parts);
  }

  private boolean[] correct(float[][] p) {
    boolean[] right = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      right[i] = Evaluation.argmax(p[i]) == labels[i];
    }
    return right;
  }

  private static double accuracy(boolean[] right, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += right[i] ? 1 : 0;
    }
    return to == from ? 0 : (double) n / (to - from);
  }
}
