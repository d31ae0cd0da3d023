package catdog.trainer.cli;

import ai.djl.ndarray.NDManager;
import catdog.streaming.inference.ModelInfo;
import catdog.trainer.export.ModelReport;
import catdog.trainer.export.OnnxExporter;
import catdog.trainer.export.Provenance;
import catdog.trainer.train.Checkpoint;
import catdog.trainer.train.Checkpoints;
import catdog.trainer.train.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog export --checkpoint DIR --out model.onnx}: a trained checkpoint as the ONNX model the service loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Exports a trained checkpoint to ONNX: input 'image' [N,C,H,W], outputs 'probabilities' and 'logits',",
        "with the model's name, content version, labels, preprocessing and training provenance in its metadata."})
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "a training output directory (its final.ckpt, else its last epoch's checkpoint) or a .ckpt file")
  Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "the .onnx file to write")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(checkpoint)) {
      throw new IOException("no such checkpoint: " + checkpoint);
    }
    Path file = Files.isDirectory(checkpoint) ? Checkpoints.latestModel(checkpoint) : checkpoint;
    Map<String, String> header;
    try (NDManager scratch = NDManager.newBaseManager()) {
      header = Checkpoint.read(file, scratch).header();
    }
    try (Network net = Network.load(file)) {
      OnnxExporter.write(OnnxExporter.export(net.block(), net.spec(), provenance(header)), out);
    }
    ModelReport report = ModelReport.read(out);
    var w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "exported %s@%s from %s to %s (%,d bytes, %,d parameters, %.2f MFLOPs per image)%n",
        report.metadata().get(ModelInfo.NAME), report.metadata().get(ModelInfo.VERSION), file, out, Files.size(out),
        report.parameters(), report.flops().orElse(0) / 1e6);
    w.flush();
    return 0;
  }

  /** What the checkpoint says about its training; the export's own time and git commit. */
  static Provenance provenance(Map<String, String> header) {
    String val = header.containsKey("val") ? ", val " + tail(header.get("val"))
        : header.containsKey("val_fraction") ? ", val a held-out " + header.get("val_fraction") + " (seed " + header.getOrDefault("seed", "?") + ")"
        : "";
    String data = tail(header.getOrDefault("data", "unknown data")) + val;
    String accuracy = header.getOrDefault("val_accuracy", "");
    OptionalDouble valAccuracy = accuracy.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(accuracy));
    return Provenance.now(data, valAccuracy, Integer.parseInt(header.getOrDefault(Checkpoint.EPOCH, "0")));
  }

  /** The last two parts of a path (catsdogs/train): what it was, without this machine's layout. */
  private static String tail(String path) {
    Path p = Path.of(path).normalize();
    int n = p.getNameCount();
    return n >= 2 ? p.subpath(n - 2, n).toString() : path;
  }
}
