package catdog.trainer.data;

import java.nio.file.Path;

/** A file that was not used, and why: it is named in a warning and counted in the summary. */
public record Skipped(Path file, String reason) {
  @Override
  public String toString() {
    return file + ": " + reason;
  }
}
