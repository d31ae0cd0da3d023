package catdog.trainer.cli;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.data.LabeledFiles;
import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Comparison;
import catdog.streaming.inference.Preprocessing;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catdog compare}: several models on the same photos, pair by pair. Two accuracies a point apart on a
 * thousand photos say little; the photos only one of the two gets right say whether the gap is more than chance.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Scores two or more models on the same labelled images: each one's accuracy, the photos only one of "
        + "each pair gets right with McNemar's test, and the accuracy of their averaged probabilities.")
public final class CompareCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "a .onnx file or training output (repeat: two or more)")
  List<Path> models;

  @Option(names = "--data", required = true, description = "labelled images (repeat to pool several sets)")
  List<Path> data;

  @Option(names = "--exclude-names-in", paramLabel = "DIR", description = "leave out the images whose file name is also "
      + "under DIR (repeatable); a --data folder named here keeps its own images, so val/ can be both")
  List<Path> excluded = List.of();

  @Option(names = "--threads", description = "PyTorch threads for a checkpoint (default: all cores)")
  Integer threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (models.size() < 2) {
      throw new IllegalArgumentException("compare needs two or more --model, got " + models.size());
    }
    Threads.configure(threads);
    List<Classifier> classifiers = new ArrayList<>();
    try {
      for (Path m : models) {
        classifiers.add(Classifier.open(m));
      }
      List<String> names = new ArrayList<>();
      for (Path d : data) {
        List<Path> others = othersThan(d, excluded);
        names.add(others.isEmpty() ? d.toString() : d + " less the names in " + others);
      }
      Comparison comparison = Comparison.of(classifiers, this::decode, names);
      PrintWriter out = spec.commandLine().getOut();
      out.print(comparison.report());
      out.flush();
    } finally {
      classifiers.forEach(Classifier::close);
    }
    return 0;
  }

  /** Every --data folder, less its exclusions, decoded as {@code preprocessing} says. */
  private List<ImageSet> decode(Preprocessing preprocessing) {
    ImagePreprocessor preprocessor = new ImagePreprocessor(preprocessing, ImageLimits.defaults());
    List<ImageSet> sets = new ArrayList<>();
    try {
      for (Path d : data) {
        List<Path> others = othersThan(d, excluded);
        sets.add(others.isEmpty() ? Datasets.load(d, preprocessor) : heldOut(d, others, preprocessor));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sets;
  }

  /** The exclusion folders that are not {@code dir} itself. */
  static List<Path> othersThan(Path dir, List<Path> excluded) {
    Path self = dir.toAbsolutePath().normalize();
    return excluded.stream().filter(e -> !e.toAbsolutePath().normalize().equals(self)).toList();
  }

  private static ImageSet heldOut(Path dir, List<Path> others, ImagePreprocessor preprocessor) {
    if (Datasets.isIdx(dir)) {
      throw new IllegalArgumentException("--exclude-names-in needs a folder of named images, not IDX files: " + dir);
    }
    return ImageSet.decode(LabeledFiles.scan(dir).without(others), preprocessor, false);
  }
}
