package catdog.trainer.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a training output directory: {@code checkpoints/epoch-NNN.ckpt} after each epoch (the last
 * few kept), {@code final.ckpt} at the end, {@code metrics.csv}, {@code curves.png}, {@code model.onnx}.
 */
public final class Checkpoints {
  static final String FINAL = "final.ckpt";
  private static final int KEEP = 2;

  private Checkpoints() {}

  static Path epochFile(Path out, int epoch) {
    return out.resolve("checkpoints").resolve(String.format("epoch-%03d.ckpt", epoch));
  }

  /** The last complete per-epoch checkpoint, if any. */
  public static Optional<Path> latestEpoch(Path out) {
    Path dir = out.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    List<Path> files = epochFiles(dir);
    return files.isEmpty() ? Optional.empty() : Optional.of(files.get(files.size() - 1));
  }

  /** What a trained model is loaded from: the final parameters, else the last epoch's. */
  public static Path latestModel(Path out) throws IOException {
    Path fin = out.resolve(FINAL);
    if (Files.isRegularFile(fin)) {
      return fin;
    }
    return latestEpoch(out).orElseThrow(() -> new IOException(out + " has neither " + FINAL + " nor checkpoints/epoch-*.ckpt"));
  }

  /** Deletes all but the newest {@link #KEEP} epoch checkpoints. */
  static void prune(Path out) throws IOException {
    List<Path> files = epochFiles(out.resolve("checkpoints"));
    for (int i = 0; i < files.size() - KEEP; i++) {
      Files.deleteIfExists(files.get(i));
    }
  }

  private static List<Path> epochFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.ckpt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
