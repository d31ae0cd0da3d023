package catdog.trainer.eval;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessed;
import catdog.trainer.data.Skipped;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The homework's submission step: every {@code N.jpg} of a folder scored, written as {@code N,label}
 * lines sorted by N, without a header. Files not named by a number, or that do not decode, are skipped
 * with a warning naming them.
 */
public final class Predictions {
  private static final Logger LOG = LoggerFactory.getLogger(Predictions.class);
  private static final Pattern NUMBERED = Pattern.compile("(\\d+)\\.[A-Za-z]+");
  private static final int BATCH = 64;

  /** One scored image. */
  public record Row(BigInteger id, int label) {}

  /** What was written and what was left out. */
  public record Result(List<Row> rows, List<Skipped> skipped) {}

  private Predictions() {}

  public static Result write(Classifier classifier, Path images, Path csv) throws IOException {
    List<Path> files = new ArrayList<>();
    List<BigInteger> ids = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    try (Stream<Path> s = Files.list(images)) {
      for (Path f : s.sorted().toList()) {
        Matcher m = NUMBERED.matcher(f.getFileName().toString());
        if (Files.isRegularFile(f) && m.matches()) {
          files.add(f);
          ids.add(new BigInteger(m.group(1)));
        } else {
          skipped.add(new Skipped(f, "not named N.jpg"));
        }
      }
    }
    ImagePreprocessor pre = new ImagePreprocessor(classifier.preprocessing(), ImageLimits.defaults());
    int size = pre.preprocessing().tensorSize();
    float[] x = new float[BATCH * size];
    List<Row> rows = new ArrayList<>();
    for (int from = 0; from < files.size(); from += BATCH) {
      List<BigInteger> batch = new ArrayList<>(BATCH);
      for (int i = from; i < Math.min(from + BATCH, files.size()); i++) {
        Preprocessed p = preprocess(pre, files.get(i));
        if (p instanceof Preprocessed.Ready ready) {
          System.arraycopy(ready.tensor(), 0, x, batch.size() * size, size);
          batch.add(ids.get(i));
        } else {
          skipped.add(new Skipped(files.get(i), ((Preprocessed.Refused) p).reason()));
        }
      }
      if (!batch.isEmpty()) {
        float[][] probs = classifier.probabilities(x, batch.size());
        for (int j = 0; j < batch.size(); j++) {
          rows.add(new Row(batch.get(j), Evaluation.argmax(probs[j])));
        }
      }
    }
    skipped.forEach(sk -> LOG.warn("skipping {}", sk));
    rows.sort(Comparator.comparing(Row::id));
    StringBuilder sb = new StringBuilder();
    rows.forEach(r -> sb.append(r.id()).append(',').append(r.label()).append('\n'));
    Files.writeString(csv, sb, StandardCharsets.UTF_8);
    return new Result(rows, skipped);
  }

  private static Preprocessed preprocess(ImagePreprocessor pre, Path f) {
    try {
      return pre.apply(Files.readAllBytes(f));
    } catch (IOException e) {
      return new Preprocessed.Refused(Preprocessed.Kind.UNDECODABLE_IMAGE, "cannot read: " + e.getMessage());
    }
  }
}
