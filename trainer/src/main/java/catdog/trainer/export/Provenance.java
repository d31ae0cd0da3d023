package catdog.trainer.export;

import catdog.streaming.inference.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Where a trained model came from, written into its ONNX metadata next to name, version, labels and
 * preprocessing.
 *
 * @param trainData free text: what it was trained on, e.g. {@code catsdogs/train (4000 images)}
 * @param valAccuracy accuracy on the validation data in [0, 1], when known
 * @param epochs epochs trained
 * @param createdAt when the model was exported
 * @param gitCommit the trainer's {@code git rev-parse HEAD}, or {@code unknown} outside a git checkout
 */
public record Provenance(String trainData, OptionalDouble valAccuracy, int epochs, Instant createdAt, String gitCommit) {

  public Provenance {
    if (trainData.isBlank() || gitCommit.isBlank()) {
      throw new IllegalArgumentException("training data and git commit must not be blank");
    }
    if (valAccuracy.isPresent() && !(valAccuracy.getAsDouble() >= 0 && valAccuracy.getAsDouble() <= 1)) {
      throw new IllegalArgumentException("val accuracy is a fraction in [0, 1], was " + valAccuracy.getAsDouble());
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, was " + epochs);
    }
  }

  /** Provenance stamped now, with the git commit of the working directory's checkout. */
  public static Provenance now(String trainData, OptionalDouble valAccuracy, int epochs) {
    return new Provenance(trainData, valAccuracy, epochs, Instant.now().truncatedTo(ChronoUnit.SECONDS),
        gitCommit(Path.of("").toAbsolutePath()));
  }

  /** The metadata entries this provenance contributes, under {@link ModelInfo}'s keys. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelInfo.TRAIN_DATA, trainData);
    valAccuracy.ifPresent(a -> m.put(ModelInfo.VAL_ACCURACY, String.format(java.util.Locale.ROOT, "%.4f", a)));
    m.put(ModelInfo.EPOCHS, Integer.toString(epochs));
    m.put(ModelInfo.CREATED_AT, createdAt.toString());
    m.put(ModelInfo.GIT_COMMIT, gitCommit);
    return m;
  }

  /** {@code git rev-parse HEAD} in {@code dir}, or {@code unknown} when git or the repository is missing. */
  static String gitCommit(Path dir) {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out;
      try (InputStream stdout = git.getInputStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.US_ASCII).trim();
      }
      if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
        return out;
      }
      git.destroy();
      return "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
