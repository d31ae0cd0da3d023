package catdog.trainer.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One row of {@code metrics.csv}. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy, double seconds) {
  static final String HEADER = "epoch,train_loss,train_acc,val_loss,val_acc,seconds";

  String csv() {
    return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.1f", epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, seconds);
  }

  static EpochMetrics parse(String line) {
    String[] f = line.split(",");
    return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
  }

  /** The rows of a metrics file, in order; none when it does not exist. */
  public static List<EpochMetrics> read(Path csv) throws IOException {
    List<EpochMetrics> rows = new ArrayList<>();
    if (Files.exists(csv)) {
      for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("epoch")) {
          rows.add(parse(line));
        }
      }
    }
    return rows;
  }

  /** Rewrites the file with exactly {@code rows}: on resume, rows past the checkpoint are dropped. */
  static void write(Path csv, List<EpochMetrics> rows) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(r -> sb.append(r.csv()).append('\n'));
    Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, csv, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static void append(Path csv, EpochMetrics row) throws IOException {
    if (!Files.exists(csv)) {
      Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
    }
    Files.writeString(csv, row.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
