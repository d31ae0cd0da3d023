package catdog.trainer.cli;

import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Predictions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catdog predict}: the homework's res.csv, {@code N,label} per {@code N.jpg}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Labels every N.jpg of a folder and writes 'N,label' lines sorted by N, without a header.",
        "label is the class index in the model's label order (catdog: 0 = cat, 1 = dog)."})
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "a training output directory, a .ckpt file, or a .onnx file")
  Path model;

  @Option(names = "--images", required = true, description = "folder of N.jpg files")
  Path images;

  @Option(names = "--out", required = true, description = "the CSV to write, e.g. res.csv")
  Path out;

  @Option(names = "--threads", description = "PyTorch threads for a checkpoint (default: all cores)")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    Threads.configure(threads);
    try (Classifier classifier = Classifier.open(model)) {
      Predictions.Result result = Predictions.write(classifier, images, out);
      System.out.printf("%s: %d predictions written to %s, %d files skipped%n", classifier.name(), result.rows().size(), out,
          result.skipped().size());
    }
    return 0;
  }
}
