package catdog.cli.produce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the images in a folder and what they are. A label comes from the file name ({@code cat.12.jpg}) or
 * from a class sub-folder ({@code dog/12.jpg}); its index is its position in the model's label list.
 */
public final class ImageFiles {
  private static final int MAX_DEPTH = 2;

  private ImageFiles() {}

  /** The images under {@code dir} (one level of class sub-folders), sorted by id so runs repeat. */
  public static List<ImageFile> scan(Path dir, List<String> labels) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a folder: " + dir);
    }
    try (Stream<Path> paths = Files.walk(dir, MAX_DEPTH)) {
      return paths.filter(Files::isRegularFile)
          .filter(p -> !contentType(p.getFileName().toString()).isEmpty())
          .sorted()
          .map(p -> read(dir, p, labels))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The class index that the image's name, or else its folder, names; empty when neither is a label. */
  public static Optional<Integer> labelOf(String relativePath, List<String> labels) {
    String normalized = relativePath.replace('\\', '/');
    int slash = normalized.lastIndexOf('/');
    String fileName = normalized.substring(slash + 1);
    int dot = fileName.indexOf('.');
    Optional<Integer> fromName = dot > 0 ? indexOf(fileName.substring(0, dot), labels) : Optional.empty();
    if (fromName.isPresent() || slash < 0) {
      return fromName;
    }
    String folder = normalized.substring(0, slash);
    return indexOf(folder.substring(folder.lastIndexOf('/') + 1), labels);
  }

  static String contentType(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    return "";
  }

  private static Optional<Integer> indexOf(String word, List<String> labels) {
    String lower = word.toLowerCase(Locale.ROOT);
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i).toLowerCase(Locale.ROOT);
      // Class folders are often plural (cats/, dogs/).
      if (lower.equals(label) || lower.equals(label + "s")) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static ImageFile read(Path dir, Path file, List<String> labels) {
    String id = dir.relativize(file).toString().replace('\\', '/');
    try {
      return new ImageFile(id, Files.readAllBytes(file), contentType(id), labelOf(id, labels));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
