package catdog.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The image files of a folder with their labels. Two layouts: class sub-folders (class names sorted,
 * label = index), or the Kaggle layout with {@code cat.N.jpg} / {@code dog.N.jpg} in one folder, where the
 * prefix before the first dot is the class.
 */
public record LabeledFiles(List<Path> files, int[] labels, List<String> classes, List<Skipped> skipped) {

  /** The Kaggle layout's classes, in label order: 0 = cat, 1 = dog. */
  public static final List<String> KAGGLE_CLASSES = List.of("cat", "dog");

  public static LabeledFiles scan(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir);
    }
    List<Path> subdirs = list(dir).stream().filter(Files::isDirectory).toList();
    return subdirs.isEmpty() ? kaggle(dir) : classFolders(subdirs);
  }

  private static LabeledFiles kaggle(Path dir) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Path f : list(dir)) {
      String name = f.getFileName().toString();
      int dot = name.indexOf('.');
      int label = dot < 0 ? -1 : KAGGLE_CLASSES.indexOf(name.substring(0, dot).toLowerCase(Locale.ROOT));
      if (label < 0) {
        skipped.add(new Skipped(f, "no class prefix (expected cat.N.jpg or dog.N.jpg)"));
      } else {
        files.add(f);
        labels.add(label);
      }
    }
    return new LabeledFiles(files, labels.stream().mapToInt(Integer::intValue).toArray(), KAGGLE_CLASSES, skipped);
  }

  private static LabeledFiles classFolders(List<Path> subdirs) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (Path sub : subdirs) {
      int label = classes.size();
      classes.add(sub.getFileName().toString());
      for (Path f : list(sub)) {
        if (Files.isRegularFile(f)) {
          files.add(f);
          labels.add(label);
        }
      }
    }
    return new LabeledFiles(files, labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(classes), List.of());
  }

  /**
   * These files less those whose file name also appears under one of {@code others}, at any depth. A Kaggle
   * name is the photo's identity: {@code fullsize/cat.4001.jpg} resized is {@code train/cat.4001.jpg}, so it
   * is not held out from a model trained on {@code train/}.
   */
  public LabeledFiles without(List<Path> others) {
    Set<String> names = others.stream().flatMap(LabeledFiles::walk).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    List<Path> kept = new ArrayList<>();
    List<Integer> keptLabels = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (!names.contains(files.get(i).getFileName().toString())) {
        kept.add(files.get(i));
        keptLabels.add(labels[i]);
      }
    }
    return new LabeledFiles(kept, keptLabels.stream().mapToInt(Integer::intValue).toArray(), classes, skipped);
  }

  private static Stream<Path> walk(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir);
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Sorted by name, so that every run sees the same order whatever the file system returns. */
  static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
