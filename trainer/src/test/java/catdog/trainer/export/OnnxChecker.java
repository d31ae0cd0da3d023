package catdog.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import catdog.protocol.onnx.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code onnx.checker.check_model(full_check=True)} on an exported model. Without python3-onnx the
 * check is skipped on a developer machine and fails under CI (env {@code CI} set), where .ci/run installs it.
 */
final class OnnxChecker {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String CHECK = "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)";

  private OnnxChecker() {}

  static void assertValid(ModelProto model, Path dir) throws IOException, InterruptedException {
    Result r = check(model, dir);
    assertThat(r.exitCode()).as("onnx.checker on %s:%n%s", model.getGraph().getName(), r.output()).isZero();
  }

  /** The checker's verdict: exit code 0 when the model is valid, else its complaint. */
  record Result(int exitCode, String output) {}

  static Result check(ModelProto model, Path dir) throws IOException, InterruptedException {
    if (!available()) {
      String why = "/usr/bin/python3 with the onnx module (Debian python3-onnx) is needed to check exported models";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path file = OnnxExporter.write(model, Files.createTempFile(dir, "checked", ".onnx"));
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", CHECK, file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("onnx checker finished").isTrue();
    return new Result(p.exitValue(), out);
  }

  private static boolean available() throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
