package catdog.trainer.cli;

import catdog.protocol.onnx.OnnxMl.ModelProto;
import catdog.protocol.onnx.OnnxMl.StringStringEntryProto;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.ModelInfo;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Evaluation;
import catdog.trainer.export.Calibrator;
import catdog.trainer.export.ModelReport;
import catdog.trainer.export.OnnxExporter;
import catdog.trainer.export.Quantizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code catdog quantize}: an exported float model as an int8 one, calibrated on training images and written
 * only if its accuracy on held-out images stays within {@code --max-accuracy-drop} of the float model's.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = {"Quantises an exported model to int8 (QLinearConv, weights per output channel), calibrating",
        "activation ranges on --calibration images; writes it only if its accuracy on --val holds."})
public final class QuantizeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "the float .onnx model (as `catdog export` writes)")
  Path model;

  @Option(names = "--calibration", required = true, paramLabel = "DIR", description = "images to observe activation ranges on (training images)")
  Path calibration;

  @Option(names = "--calibration-count", defaultValue = "512", paramLabel = "N",
      description = "images taken evenly from --calibration (default: ${DEFAULT-VALUE})")
  int calibrationCount;

  @Option(names = "--val", required = true, paramLabel = "DIR", description = "labelled held-out images for the accuracy check")
  Path val;

  @Option(names = "--weight-bits", defaultValue = "7", paramLabel = "BITS",
      description = {"bits per weight, 2-8 (default: ${DEFAULT-VALUE}); on x86 CPUs without VNNI, ONNX Runtime sums pairs of",
          "uint8 x int8 products in 16 bits, which 8-bit weights can saturate and 7-bit ones cannot, so a 7-bit model",
          "computes the same sums on every CPU; 8 only where every CPU that serves it has VNNI"})
  int weightBits;

  @Option(names = "--max-accuracy-drop", defaultValue = "0.01", paramLabel = "FRACTION",
      description = "refuse the int8 model if its val accuracy is lower than the float model's by more (default: ${DEFAULT-VALUE})")
  double maxDrop;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "the int8 .onnx file to write")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (calibrationCount < 1 || !(maxDrop >= 0 && maxDrop <= 1)) {
      throw new ParameterException(spec.commandLine(), "--calibration-count must be >= 1 and --max-accuracy-drop in [0, 1]");
    }
    PrintWriter w = spec.commandLine().getOut();
    ModelProto fp32;
    try (InputStream in = Files.newInputStream(model)) {
      fp32 = ModelProto.parseFrom(in);
    }
    Quantizer.Plan plan = Quantizer.plan(fp32);
    int n;
    ModelProto int8;
    Evaluation before;
    Evaluation after;
    try (Classifier floatModel = Classifier.open(model)) {
      ImagePreprocessor pre = new ImagePreprocessor(floatModel.preprocessing(), ImageLimits.defaults());
      ImageSet calib = Datasets.load(calibration, pre);
      ImageSet held = Datasets.load(val, pre);
      n = Math.min(calibrationCount, calib.size());
      Map<String, Quantizer.Range> ranges = Calibrator.ranges(plan, calib, n);
      String method = String.format(Locale.ROOT, "QLinearConv, uint8 activations (min/max over %d images of %s), "
          + "int8 weights (%d-bit, symmetric per output channel)", n, calibration.getFileName(), weightBits);
      int8 = Quantizer.quantize(plan, ranges, weightBits, method);
      before = Evaluation.of(floatModel, held, val.toString());
      // Scored from memory by the service's loader: nothing reaches the disk unless it passes.
      try (Classifier quantised = Classifier.onnx(int8.toByteArray(), "the int8 model")) {
        after = Evaluation.of(quantised, held, val.toString());
      }
    }
    w.printf(Locale.ROOT, "calibrated %d points on %d images; val accuracy float %.4f, int8 %.4f (%+.4f)%n",
        plan.points().size(), n, before.accuracy(), after.accuracy(), after.accuracy() - before.accuracy());
    if (after.accuracy() < before.accuracy() - maxDrop) {
      w.printf(Locale.ROOT, "refused: the int8 model loses more than %.4f of accuracy; nothing written%n", maxDrop);
      w.flush();
      return 1;
    }
    // Metadata is outside the versioned graph: recording the check keeps the version.
    OnnxExporter.write(int8.toBuilder()
        .addMetadataProps(entry(Quantizer.VAL_ACCURACY, after.accuracy()))
        .addMetadataProps(entry(Quantizer.VAL_ACCURACY_FLOAT, before.accuracy())).build(), out);
    ModelReport report = ModelReport.read(out);
    w.printf(Locale.ROOT, "wrote %s@%s (quantised from %s) to %s, %,d bytes%n", report.metadata().get(ModelInfo.NAME),
        report.metadata().get(ModelInfo.VERSION), report.metadata().get(Quantizer.QUANTIZED_FROM), out, Files.size(out));
    w.flush();
    return 0;
  }

  private static StringStringEntryProto entry(String key, double accuracy) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(String.format(Locale.ROOT, "%.4f", accuracy)).build();
  }
}
