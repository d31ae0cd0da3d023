package catdog.trainer.cli;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.data.LabeledFiles;
import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Evaluation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
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

  @Option(names = "--exclude-names-in", paramLabel = "DIR", description = "leave out the images whose file name "
      + "is also under DIR (repeatable): a photo that is in the training set, even resized, is not held out")
  List<Path> excluded = List.of();

  @Option(names = "--json", description = "also write the result as JSON to this file")
  Path json;

  @Option(names = "--threads", description = "PyTorch threads for a checkpoint (default: all cores)")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    Threads.configure(threads);
    try (Classifier classifier = Classifier.open(model)) {
      ImagePreprocessor preprocessor = new ImagePreprocessor(classifier.preprocessing(), ImageLimits.defaults());
      ImageSet set = excluded.isEmpty() ? Datasets.load(data, preprocessor) : heldOut(preprocessor);
      if (!set.skipped().isEmpty()) {
        System.out.println(set.skipped().size() + " files skipped (named in the warnings above)");
      }
      String source = excluded.isEmpty() ? data.toString() : data + " less the names in " + excluded;
      Evaluation result = Evaluation.of(classifier, set, source);
      System.out.print(result.report());
      if (json != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result.toJson());
        System.out.println("wrote " + json);
      }
    }
    return 0;
  }

  private ImageSet heldOut(ImagePreprocessor preprocessor) {
    if (Datasets.isIdx(data)) {
      throw new IllegalArgumentException("--exclude-names-in needs a folder of named images, not IDX files: " + data);
    }
    LabeledFiles all = LabeledFiles.scan(data);
    LabeledFiles kept = all.without(excluded);
    System.out.println((all.files().size() - kept.files().size()) + " of " + all.files().size()
        + " images left out: their names are also in " + excluded);
    return ImageSet.decode(kept, preprocessor, false);
  }
}
