package catdog.trainer.cli;

import catdog.trainer.export.ModelReport;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catdog inspect model.onnx}: what an ONNX model file says about itself. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Prints an ONNX model's metadata (name, version, labels, preprocessing, provenance), inputs and outputs,",
        "op counts, parameter count and MFLOPs per image."})
public final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "an .onnx file")
  Path model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(model)) {
      throw new IOException(Files.isDirectory(model) ? model + " is a directory, not an .onnx file" : "no such file: " + model);
    }
    ModelReport report;
    try {
      report = ModelReport.read(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(model + " is not an ONNX model: " + e.getMessage(), e);
    }
    if (report.ops().isEmpty()) {
      throw new IOException(model + " is not an ONNX model: it has no graph nodes");
    }
    var out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s (%,d bytes)%n", model, Files.size(model));
    out.print(report.render());
    out.flush();
    return 0;
  }
}
