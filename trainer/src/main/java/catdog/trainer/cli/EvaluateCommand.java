package catdog.trainer.cli;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Evaluation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catdog evaluate}: accuracy, per-class precision and recall, and the confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Scores a trained model (checkpoint directory or .onnx file) on labelled images.")
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "a training output directory, a .ckpt file, or a .onnx file")
  Path model;

  @Option(names = "--data", required = true, description = "labelled images: cat.N.jpg/dog.N.jpg, class sub-folders, or IDX files")
  Path data;

  @Option(names = "--json", description = "also write the result as JSON to this file")
  Path json;

  @Option(names = "--threads", description = "PyTorch threads for a checkpoint (default: all cores)")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    Threads.configure(threads);
    try (Classifier classifier = Classifier.open(model)) {
      ImageSet set = Datasets.load(data, new ImagePreprocessor(classifier.preprocessing(), ImageLimits.defaults()));
      if (!set.skipped().isEmpty()) {
        System.out.println(set.skipped().size() + " files skipped (named in the warnings above)");
      }
      Evaluation result = Evaluation.of(classifier, set, data.toString());
      System.out.print(result.report());
      if (json != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result.toJson());
        System.out.println("wrote " + json);
      }
    }
    return 0;
  }
}
