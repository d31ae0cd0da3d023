package catdog.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The repository checkout the launcher runs from, so that defaults such as deploy/samples and deploy/models
 * work from any directory. deploy/bin/catdog passes it as -Dcatdog.home; otherwise the working directory and
 * its parents are searched for a deploy/ folder.
 */
public final class CatdogHome {
  private CatdogHome() {}

  public static Path root() {
    String property = System.getProperty("catdog.home", "");
    if (!property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/samples"))) {
        return dir;
      }
    }
    return cwd;
  }

  /** A path under the checkout, e.g. {@code resolve("deploy/samples")}. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /**
   * The model a command was given, else the shipped one: deploy/models/catdog-mini-s4.onnx, else catdog.onnx, else
   * catdog-seed.onnx.
   * Throws with a message that says what to do when there is neither.
   */
  public static Path modelOrShipped(Path given) {
    return Optional.ofNullable(given)
        .or(() -> firstExisting("deploy/models/catdog-mini-s4.onnx", "deploy/models/catdog.onnx", "deploy/models/catdog-seed.onnx"))
        .orElseThrow(() -> new IllegalStateException("no model: none of deploy/models/catdog-mini-s4.onnx, catdog.onnx, catdog-seed.onnx "
            + "exists under " + root() + "; train one (catdog train) or pass --model FILE"));
  }

  /** The first of the given paths under the checkout that is a regular file. */
  public static Optional<Path> firstExisting(String... relatives) {
    for (String relative : relatives) {
      Path path = resolve(relative);
      if (Files.isRegularFile(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }
}
